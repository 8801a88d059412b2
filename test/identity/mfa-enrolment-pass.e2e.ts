import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestApp, TestApp } from '../support/test-app';
import { TEST_DEMO_PASSWORD } from '../support/demo-password';
import { signIn, SignedIn } from '../support/http';
import { totpCode } from '../support/totp';

const PASS_SHAPE = /^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/;
const UNAUTHENTICATED = 'urn:case-desk:problem:unauthenticated';

/** Starts an enrolment and confirms it with the current code, `enrolmentPass` as given. */
async function confirmWith(user: SignedIn, enrolmentPass?: string, password = TEST_DEMO_PASSWORD) {
  const { secret } = (await user.post('/auth/mfa/enrolment').expect(201)).body as { secret: string };
  return user.post('/auth/mfa/enrolment/confirm', {
    code: totpCode(secret),
    currentPassword: password,
    ...(enrolmentPass === undefined ? {} : { enrolmentPass }),
  });
}

const fieldsOf = (body: { errors?: Array<{ field: string }> }) => (body.errors ?? []).map((e) => e.field);

describe('MFA_REQUIRED_ROLES: a first enrolment needs a one-time pass from the country’s admin', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({}, { MFA_REQUIRED_ROLES: 'liaison' });
  });
  afterAll(() => t?.close());

  const idOf = async (username: string): Promise<string> =>
    (await t.dataSource.query(`SELECT id FROM app_user WHERE username = $1`, [username]))[0].id;
  const enabled = async (username: string): Promise<boolean> =>
    (await t.dataSource.query(`SELECT mfa_enabled_at FROM app_user WHERE username = $1`, [username]))[0]
      .mfa_enabled_at !== null;

  it('the password alone enrols no one: a thief is refused, the owner enrols with the pass, which then is used up', async () => {
    // A password thief signs in before the owner has enrolled and tries to enrol an authenticator of their own.
    const thief = await signIn(t.server, 'kr.liaison');
    const bare = await confirmWith(thief);
    expect({ status: bare.status, fields: fieldsOf(bare.body) }).toEqual({
      status: 400,
      fields: ['enrolmentPass'],
    });
    const guessed = await confirmWith(thief, 'ABCD-EFGH-JKLM-NPQR');
    expect({ status: guessed.status, fields: fieldsOf(guessed.body) }).toEqual({
      status: 400,
      fields: ['enrolmentPass'],
    });
    expect(await enabled('kr.liaison')).toBe(false);
    const id = await idOf('kr.liaison');
    const [failed] = await t.dataSource.query(
      `SELECT details FROM audit_event WHERE action = 'auth.mfa.enable.failed' AND record_id = $1`,
      [id],
    );
    expect(failed.details).toEqual({ username: 'kr.liaison', reason: 'wrong-enrolment-pass' });
    const [{ failed_logins }] = await t.dataSource.query(`SELECT failed_logins FROM app_user WHERE id = $1`, [
      id,
    ]);
    expect(failed_logins).toBe(1);

    // The country's admin issues the owner a pass (by another channel than the password).
    const admin = await signIn(t.server, 'kr.admin');
    const issued = await admin.post(`/users/${id}/mfa/enrolment-pass`).expect(201);
    const { enrolmentPass, expiresAt } = issued.body as { enrolmentPass: string; expiresAt: string };
    expect(enrolmentPass).toMatch(PASS_SHAPE);
    const hoursLeft = (Date.parse(expiresAt) - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(23.9);
    expect(hoursLeft).toBeLessThanOrEqual(24);
    // Issued on the record, the pass itself nowhere in the trail.
    const events = await t.dataSource.query(`SELECT * FROM audit_event WHERE record_id = $1`, [id]);
    expect(
      events.filter((e: { action: string }) => e.action === 'user.mfa.enrolment_pass.issue'),
    ).toHaveLength(1);
    const compact = enrolmentPass.replace(/-/g, '');
    for (const e of events)
      expect(JSON.stringify(e)).not.toMatch(new RegExp(`${enrolmentPass}|${compact}`, 'i'));

    // The owner types it as they read it (lower case, without dashes): enrolled.
    const owner = await signIn(t.server, 'kr.liaison');
    const done = await confirmWith(owner, compact.toLowerCase());
    expect(done.status).toBe(200);
    expect(await enabled('kr.liaison')).toBe(true);
    // The thief's session ended with the enrolment (probe r39), and the pass is gone.
    expect((await thief.get('/auth/me')).body.type).toBe(UNAUTHENTICATED);
    expect(await t.dataSource.query(`SELECT 1 FROM mfa_enrolment_pass WHERE user_id = $1`, [id])).toEqual([]);
    // Once enrolled, no pass is issued (a first enrolment only) until the factor is reset; then the used
    // pass does not enrol again.
    const again = await admin.post(`/users/${id}/mfa/enrolment-pass`);
    expect(again.status).toBe(409);
    await admin.post(`/users/${id}/mfa/reset`).expect(204);
    const reused = await confirmWith(await signIn(t.server, 'kr.liaison'), enrolmentPass);
    expect({ status: reused.status, fields: fieldsOf(reused.body) }).toEqual({
      status: 400,
      fields: ['enrolmentPass'],
    });
    expect(await enabled('kr.liaison')).toBe(false);
  });

  it('a new pass replaces the earlier one, and an expired pass enrols no one', async () => {
    const id = await idOf('kh.liaison');
    const admin = await signIn(t.server, 'kh.admin');
    const first = (await admin.post(`/users/${id}/mfa/enrolment-pass`).expect(201)).body
      .enrolmentPass as string;
    const second = (await admin.post(`/users/${id}/mfa/enrolment-pass`).expect(201)).body
      .enrolmentPass as string;
    expect(second).not.toBe(first);
    const owner = await signIn(t.server, 'kh.liaison');
    expect((await confirmWith(owner, first)).status).toBe(400);
    // A day and more later.
    await t.dataSource.query(
      `UPDATE mfa_enrolment_pass SET issued_at = now() - interval '25 hours', expires_at = now() - interval '1 hour'
        WHERE user_id = $1`,
      [id],
    );
    expect((await confirmWith(owner, second)).status).toBe(400);
    expect(await enabled('kh.liaison')).toBe(false);
    const third = (await admin.post(`/users/${id}/mfa/enrolment-pass`).expect(201)).body
      .enrolmentPass as string;
    expect((await confirmWith(owner, third)).status).toBe(200);
  });

  it('a wrong password is refused before the pass is looked at, and leaves the pass usable', async () => {
    const id = await idOf('my.liaison');
    const pass = (
      await (await signIn(t.server, 'my.admin')).post(`/users/${id}/mfa/enrolment-pass`).expect(201)
    ).body.enrolmentPass as string;
    const owner = await signIn(t.server, 'my.liaison');
    const wrong = await confirmWith(owner, pass, 'not the password at all');
    expect({ status: wrong.status, fields: fieldsOf(wrong.body) }).toEqual({
      status: 400,
      fields: ['currentPassword'],
    });
    expect((await confirmWith(owner, pass)).status).toBe(200);
  });

  it('only an admin of the account’s country issues a pass, never for their own account', async () => {
    const id = await idOf('th.liaison');
    const unknown = '00000000-0000-4000-8000-000000000000';
    const myAdmin = await signIn(t.server, 'my.admin');
    const answer = async (target: string) => {
      const res = await myAdmin.post(`/users/${target}/mfa/enrolment-pass`);
      return {
        status: res.status,
        type: res.body.type,
        detail: String(res.body.detail).split(target).join('<id>'),
      };
    };
    const other = await answer(id);
    expect(other).toEqual(await answer(unknown));
    expect(other.status).toBe(404);
    expect(
      (await (await signIn(t.server, 'th.officer')).post(`/users/${id}/mfa/enrolment-pass`)).status,
    ).toBe(403);
    const thAdmin = await signIn(t.server, 'th.admin');
    expect((await thAdmin.post(`/users/${await idOf('th.admin')}/mfa/enrolment-pass`)).status).toBe(403);
    const platform = await signIn(t.server, 'platform.admin');
    expect((await platform.post(`/users/${await idOf('th.admin')}/mfa/enrolment-pass`)).status).toBe(403);
    expect(await t.dataSource.query(`SELECT user_id FROM mfa_enrolment_pass`)).toEqual([]);
  });

  it('roles not listed enrol without a pass, as before', async () => {
    const officer = await signIn(t.server, 'kr.officer');
    expect((await confirmWith(officer)).status).toBe(200);
  });
});

describe('MFA_REQUIRED_ROLES=admin: a country’s first admin, made on the command line, enrols with the pass it prints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({}, { MFA_REQUIRED_ROLES: 'admin' });
  });
  afterAll(() => t?.close());

  it('`npm run user:create` prints the pass; without it the new admin cannot enrol, with it they can', async () => {
    const [{ id: agency }] = await t.dataSource.query(`SELECT id FROM agency WHERE country_code = 'BN'`);
    const password = 'a first admin passphrase 2026';
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(__dirname, '../../dist/src/cli/create-user.js'),
        '--admin',
        '--username',
        'bn.chief',
        '--agency',
        agency,
      ],
      {
        env: {
          ...process.env,
          DATABASE_URL: t.databaseUrl,
          MFA_REQUIRED_ROLES: 'admin',
          NEW_USER_PASSWORD: password,
        },
      },
    );
    const pass = /enrolment pass \(shown once, valid until [^)]+\): (\S+)/.exec(stdout)?.[1];
    expect(pass).toMatch(PASS_SHAPE);
    // The command line is no account: the new admin has no creator, and is active at once.
    const [made] = await t.dataSource.query(
      `SELECT created_by, status FROM app_user WHERE username = 'bn.chief'`,
    );
    expect(made).toEqual({ created_by: null, status: 'active' });
    // Nor does its pass record an issuer.
    expect(
      await t.dataSource.query(
        `SELECT p.issued_by FROM mfa_enrolment_pass p JOIN app_user u ON u.id = p.user_id WHERE u.username = 'bn.chief'`,
      ),
    ).toEqual([{ issued_by: null }]);

    const chief = await signIn(t.server, 'bn.chief', password);
    expect((await chief.get('/users')).status).toBe(403);
    const bare = await confirmWith(chief, undefined, password);
    expect({ status: bare.status, fields: fieldsOf(bare.body) }).toEqual({
      status: 400,
      fields: ['enrolmentPass'],
    });
    expect((await confirmWith(chief, pass, password)).status).toBe(200);
    await chief.get('/users').expect(200);
    const [{ id }] = await t.dataSource.query(`SELECT id FROM app_user WHERE username = 'bn.chief'`);
    const issued = await t.dataSource.query(
      `SELECT 1 FROM audit_event WHERE action = 'user.mfa.enrolment_pass.issue' AND record_id = $1`,
      [id],
    );
    expect(issued).toHaveLength(1);
    expect(await t.dataSource.query(`SELECT 1 FROM mfa_enrolment_pass WHERE user_id = $1`, [id])).toEqual([]);
  });
});
