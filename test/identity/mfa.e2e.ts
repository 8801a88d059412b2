import { Logger } from '@nestjs/common';
import request from 'supertest';
import { MfaKeyCheck } from '../../src/auth/mfa/mfa-key-check';
import { MfaSecretBox } from '../../src/auth/mfa/mfa-secret-box';
import { createTestApp, TestApp } from '../support/test-app';
import { TEST_DEMO_PASSWORD } from '../support/demo-password';
import { signIn, SignedIn } from '../support/http';
import { totpCode } from '../support/totp';

const MFA_REQUIRED = 'urn:case-desk:problem:mfa-required';
const ENROLMENT_REQUIRED = 'urn:case-desk:problem:mfa-enrolment-required';

/** Enrols and confirms a second factor (the confirming code is the current step's). */
/** `enrolmentPass`: where the role requires a second factor (test/identity/mfa-enrolment-pass.e2e.ts). */
async function enrol(
  user: SignedIn,
  enrolmentPass?: string,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const started = await user.post('/auth/mfa/enrolment').expect(201);
  const { secret } = started.body as { secret: string };
  const confirmed = await user
    .post('/auth/mfa/enrolment/confirm', {
      code: totpCode(secret),
      currentPassword: TEST_DEMO_PASSWORD,
      ...(enrolmentPass ? { enrolmentPass } : {}),
    })
    .expect(200);
  return { secret, recoveryCodes: (confirmed.body as { recoveryCodes: string[] }).recoveryCodes };
}

describe('Second factor (TOTP): enrol, sign in with a code, recovery codes, off, admin reset', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  const loginWith = (body: object) => request(t.server).post('/api/v1/auth/login').send(body);
  const row = async (username: string) =>
    (
      await t.dataSource.query(
        `SELECT id, mfa_secret, mfa_pending_secret, mfa_last_time_step, failed_logins,
                locked_until > now() AS locked
           FROM app_user WHERE username = $1`,
        [username],
      )
    )[0];
  const events = async (action: string, recordId: string) =>
    t.dataSource.query(`SELECT details FROM audit_event WHERE action = $1 AND record_id = $2 ORDER BY id`, [
      action,
      recordId,
    ]);

  it('enrols (pending until confirmed, replaced by a new enrolment), then sign-in needs a code; /auth/me shows it', async () => {
    const user = await signIn(t.server, 'kr.officer');
    expect((await user.get('/auth/me').expect(200)).body.mfa).toEqual({ enabled: false, required: false });

    const first = await user.post('/auth/mfa/enrolment').expect(201);
    expect(first.body.otpauthUrl).toMatch(
      /^otpauth:\/\/totp\/Task%20Force%20Case%20Desk:kr\.officer\?secret=[A-Z2-7]+&issuer=Task%20Force%20Case%20Desk$/,
    );
    expect(first.body.otpauthUrl).toContain(first.body.secret);
    // Pending: sign-in still needs no code.
    await loginWith({ username: 'kr.officer', password: TEST_DEMO_PASSWORD }).expect(200);

    const second = await user.post('/auth/mfa/enrolment').expect(201);
    const secret = second.body.secret as string;
    expect(secret).not.toBe(first.body.secret);
    // The replaced secret's code, a wrong code and malformed codes change nothing.
    for (const code of [
      totpCode(first.body.secret),
      '1234567',
      '12345',
      123456,
      null,
      '\u0000'.repeat(6),
      'x'.repeat(5000),
    ]) {
      const res = await user.post('/auth/mfa/enrolment/confirm', {
        code,
        currentPassword: TEST_DEMO_PASSWORD,
      });
      expect({ code, status: res.status }).toEqual({ code, status: 400 });
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    // The account's password is asked too: an access token alone (a stolen one) does not turn it on.
    const failedBefore = (await row('kr.officer')).failed_logins as number;
    for (const currentPassword of [undefined, 'not the password at all']) {
      const res = await user
        .post('/auth/mfa/enrolment/confirm', { code: totpCode(secret), currentPassword })
        .expect(400);
      expect(new Set(res.body.errors.map((e: { field: string }) => e.field))).toEqual(
        new Set(['currentPassword']),
      );
    }
    // The wrong one counted toward the lockout, as at a password change; nothing was turned on.
    expect((await row('kr.officer')).failed_logins).toBe(failedBefore + 1);
    expect(await events('auth.mfa.enable', (await row('kr.officer')).id)).toEqual([]);
    expect((await events('auth.mfa.enable.failed', (await row('kr.officer')).id)).length).toBe(1);
    const confirmed = await user
      .post('/auth/mfa/enrolment/confirm', { code: totpCode(secret), currentPassword: TEST_DEMO_PASSWORD })
      .expect(200);
    const codes = confirmed.body.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    await user
      .post('/auth/mfa/enrolment/confirm', { code: totpCode(secret), currentPassword: TEST_DEMO_PASSWORD })
      .expect(409);
    await user.post('/auth/mfa/enrolment').expect(409);

    // A database dump does not give the secret nor the recovery codes.
    const stored = await row('kr.officer');
    expect(stored.mfa_secret).toEqual(expect.any(String));
    expect(stored.mfa_secret).not.toContain(secret);
    expect(stored.mfa_pending_secret).toBeNull();
    const hashes: Array<{ code_hash: string; salt: string }> = await t.dataSource.query(
      `SELECT code_hash, salt FROM mfa_recovery_code WHERE user_id = $1`,
      [stored.id],
    );
    expect(hashes).toHaveLength(10);
    for (const code of codes) {
      const plain = code.replace(/-/g, '');
      expect(hashes.some((h) => h.code_hash.includes(plain) || h.code_hash.includes(code))).toBe(false);
    }
    expect((await user.get('/auth/me').expect(200)).body.mfa).toEqual({ enabled: true, required: false });

    const noCode = await loginWith({ username: 'kr.officer', password: TEST_DEMO_PASSWORD }).expect(401);
    expect(noCode.body.type).toBe(MFA_REQUIRED);
    expect(noCode.body.accessToken).toBeUndefined();
    // A wrong password without a code is the usual answer, not mfa-required.
    const wrong = await loginWith({ username: 'kr.officer', password: 'not the password at all' }).expect(
      401,
    );
    expect(wrong.body.type).toBe('urn:case-desk:problem:unauthenticated');

    // The confirming code's step is used up: the next step's code signs in, once.
    const next = totpCode(secret, Date.now(), 1);
    const signedIn = await loginWith({
      username: 'kr.officer',
      password: TEST_DEMO_PASSWORD,
      code: next,
    }).expect(200);
    expect(signedIn.body.accessToken).toEqual(expect.any(String));
    const replay = await loginWith({
      username: 'kr.officer',
      password: TEST_DEMO_PASSWORD,
      code: next,
    }).expect(401);
    expect(replay.body.type).toBe('urn:case-desk:problem:unauthenticated');
    // An earlier step than the last accepted one is refused too.
    await loginWith({ username: 'kr.officer', password: TEST_DEMO_PASSWORD, code: totpCode(secret) }).expect(
      401,
    );

    expect(await events('auth.mfa.enrolment.start', stored.id)).toHaveLength(2);
    expect(await events('auth.mfa.enable', stored.id)).toEqual([{ details: { recoveryCodes: 10 } }]);
  });

  it('a wrong code answers exactly as a wrong password does, and counts toward the lockout', async () => {
    const user = await signIn(t.server, 'kr.officer2');
    const { secret } = await enrol(user);
    const { id } = await row('kr.officer2');
    const wrongPassword = await loginWith({
      username: 'kr.officer2',
      password: 'not the password at all',
      code: '123456',
    });
    const wrongCode = await loginWith({
      username: 'kr.officer2',
      password: TEST_DEMO_PASSWORD,
      code: '000000' === totpCode(secret) ? '111111' : '000000',
    });
    expect(wrongCode.status).toBe(401);
    const shape = (b: Record<string, unknown>) => ({
      type: b.type,
      title: b.title,
      detail: b.detail,
      status: b.status,
    });
    expect(shape(wrongCode.body)).toEqual(shape(wrongPassword.body));
    expect((await row('kr.officer2')).failed_logins).toBe(2);
    // Malformed codes: a 4xx, never a 500; the ones that are strings count as wrong codes.
    expect(
      (await loginWith({ username: 'kr.officer2', password: TEST_DEMO_PASSWORD, code: '1234567' })).status,
    ).toBe(401);
    for (const code of [123456, null, { $ne: '' }, 'x'.repeat(5000), 'ab\u0000cd'])
      expect((await loginWith({ username: 'kr.officer2', password: TEST_DEMO_PASSWORD, code })).status).toBe(
        400,
      );
    expect((await row('kr.officer2')).failed_logins).toBe(3);
    for (const code of ['999999', '888888', '777777'].filter((c) => c !== totpCode(secret)).slice(0, 2))
      await loginWith({ username: 'kr.officer2', password: TEST_DEMO_PASSWORD, code }).expect(401);
    expect(await row('kr.officer2')).toEqual(expect.objectContaining({ failed_logins: 5, locked: true }));
    // Locked: the right password and the right code are refused with the same answer.
    const locked = await loginWith({
      username: 'kr.officer2',
      password: TEST_DEMO_PASSWORD,
      code: totpCode(secret, Date.now(), 1),
    });
    expect(shape(locked.body)).toEqual(shape(wrongPassword.body));
    const reasons = (await events('auth.login.failed', id)).map(
      (e: { details: { reason: string } }) => e.details.reason,
    );
    expect(reasons.filter((r: string) => r === 'wrong-code')).toHaveLength(4);
    expect(await events('auth.lockout', id)).toHaveLength(1);
  });

  it('a recovery code signs in once (any case, with or without dashes), audited with the codes left', async () => {
    const user = await signIn(t.server, 'kh.officer');
    const { recoveryCodes } = await enrol(user);
    const { id } = await row('kh.officer');
    await loginWith({ username: 'kh.officer', password: TEST_DEMO_PASSWORD, code: recoveryCodes[0] }).expect(
      200,
    );
    await loginWith({ username: 'kh.officer', password: TEST_DEMO_PASSWORD, code: recoveryCodes[0] }).expect(
      401,
    );
    const typed = recoveryCodes[1]!.toLowerCase().replace(/-/g, '');
    await loginWith({ username: 'kh.officer', password: TEST_DEMO_PASSWORD, code: typed }).expect(200);
    expect(await events('auth.mfa.recovery_code.use', id)).toEqual([
      { details: { recoveryCodesLeft: 9 } },
      { details: { recoveryCodesLeft: 8 } },
    ]);
  });

  it('the user turns it off with a current code only; a wrong one counts toward the lockout', async () => {
    const user = await signIn(t.server, 'kh.officer2');
    const { secret } = await enrol(user);
    const { id } = await row('kh.officer2');
    const wrong = await user.delete('/auth/mfa', {
      code: '000000' === totpCode(secret, Date.now(), 1) ? '111111' : '000000',
    });
    expect(wrong.status).toBe(400);
    expect((await row('kh.officer2')).failed_logins).toBe(1);
    await user.delete('/auth/mfa', { code: 123456 }).expect(400);
    await user.delete('/auth/mfa').expect(400);
    await user.delete('/auth/mfa', { code: totpCode(secret, Date.now(), 1) }).expect(204);
    expect(await row('kh.officer2')).toEqual(
      expect.objectContaining({ mfa_secret: null, mfa_last_time_step: null }),
    );
    expect((await user.get('/auth/me').expect(200)).body.mfa.enabled).toBe(false);
    await loginWith({ username: 'kh.officer2', password: TEST_DEMO_PASSWORD }).expect(200);
    await user.delete('/auth/mfa', { code: '123456' }).expect(409);
    expect(await events('auth.mfa.disable', id)).toEqual([{ details: { provedWith: 'totp' } }]);
    expect(await events('auth.mfa.disable.failed', id)).toHaveLength(1);
  });

  it("a country admin resets another account's second factor of their own country; never their own, nor another country's", async () => {
    const user = await signIn(t.server, 'my.officer');
    const { secret } = await enrol(user);
    const { id } = await row('my.officer');
    const myAdmin = await signIn(t.server, 'my.admin');
    const krAdmin = await signIn(t.server, 'kr.admin');
    const officer = await signIn(t.server, 'my.officer2');
    await krAdmin.post(`/users/${id}/mfa/reset`).expect(404);
    await officer.post(`/users/${id}/mfa/reset`).expect(403);
    // An enrolment begun but not confirmed is no second factor: 409, and its sessions go on.
    await officer.post('/auth/mfa/enrolment').expect(201);
    await myAdmin.post(`/users/${(await row('my.officer2')).id}/mfa/reset`).expect(409);
    await officer.get('/auth/me').expect(200);
    const myAdminId = (await row('my.admin')).id;
    await myAdmin.post(`/users/${myAdminId}/mfa/reset`).expect(403);
    await loginWith({ username: 'my.officer', password: TEST_DEMO_PASSWORD }).expect(401);
    // The admin sees who signs in with a second factor: the account and the country's list.
    expect((await myAdmin.get(`/users/${id}`).expect(200)).body.mfaEnabled).toBe(true);
    const listed = (await myAdmin.get('/users?limit=200').expect(200)).body.items as Array<{
      username: string;
      mfaEnabled: boolean;
    }>;
    expect(listed.filter((u) => u.mfaEnabled).map((u) => u.username)).toEqual(['my.officer']);

    // A session opened with the second factor, as on the lost phone: it works until the reset.
    const onThePhone = await loginWith({
      username: 'my.officer',
      password: TEST_DEMO_PASSWORD,
      code: totpCode(secret, Date.now(), 1), // the confirmation used the current step's
    }).expect(200);
    const phoneToken = onThePhone.body.accessToken as string;
    const phoneRefresh = onThePhone.body.refreshToken as string;
    const asPhone = () =>
      request(t.server).get('/api/v1/auth/me').set('Authorization', `Bearer ${phoneToken}`);
    await asPhone().expect(200);

    await myAdmin.post(`/users/${id}/mfa/reset`).expect(204);
    expect((await myAdmin.get(`/users/${id}`).expect(200)).body.mfaEnabled).toBe(false);
    // Every session of the account ended with the reset: the phone's, its refresh token, and the first.
    await asPhone().expect(401);
    await request(t.server).post('/api/v1/auth/refresh').send({ refreshToken: phoneRefresh }).expect(401);
    await user.get('/auth/me').expect(401);
    const again = await signIn(t.server, 'my.officer');
    expect((await again.get('/auth/me').expect(200)).body.mfa.enabled).toBe(false);
    await myAdmin.post(`/users/${id}/mfa/reset`).expect(409);
    const [reset] = await t.dataSource.query(
      `SELECT actor_user_id, owner_country FROM audit_event WHERE action = 'user.mfa.reset' AND record_id = $1`,
      [id],
    );
    expect(reset).toEqual({ actor_user_id: myAdminId, owner_country: 'MY' });
    expect(await t.dataSource.query(`SELECT 1 FROM mfa_recovery_code WHERE user_id = $1`, [id])).toEqual([]);
  });

  it('at start-up, says so when the second factors do not open under the current key (a changed JWT_SECRET)', async () => {
    await enrol(await signIn(t.server, 'kh.liaison'));
    const { id } = await row('kh.liaison');
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    await t.app.get(MfaKeyCheck).onApplicationBootstrap();
    expect(errors).not.toHaveBeenCalled();

    // As after a new JWT_SECRET with MFA_ENCRYPTION_KEY unset: sealed under a key the service lacks.
    const otherKey = new MfaSecretBox(Buffer.from('the key before the JWT_SECRET was changed, 32+'));
    await t.dataSource.query(`UPDATE app_user SET mfa_secret = $2 WHERE id = $1`, [
      id,
      otherKey.seal('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', id),
    ]);
    await t.app.get(MfaKeyCheck).onApplicationBootstrap();
    expect(errors).toHaveBeenCalledTimes(1);
    const message = String(errors.mock.calls[0]![0]);
    expect(message).toMatch(/^1 of the \d+ second factors turned on last do not open under the current key/);
    expect(message).toContain('MFA_ENCRYPTION_KEY');
  });
});

describe('MFA_REQUIRED_ROLES: holders of a listed role reach only their own account until they enrol', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({}, { MFA_REQUIRED_ROLES: 'liaison, auditor' });
  });
  afterAll(() => t?.close());

  it('blocks every other route with 403 mfa-enrolment-required, leaves /auth/me, /auth/mfa/* and sign-out open', async () => {
    const liaison = await signIn(t.server, 'kr.liaison');
    for (const path of ['/cases', '/persons', '/information-requests', '/blacklist-entries', '/stats']) {
      const res = await liaison.get(path);
      expect({ path, status: res.status, type: res.body.type }).toEqual({
        path,
        status: 403,
        type: ENROLMENT_REQUIRED,
      });
    }
    expect((await liaison.get('/auth/me').expect(200)).body.mfa).toEqual({ enabled: false, required: true });
    // Other roles are not concerned.
    const officer = await signIn(t.server, 'kr.officer');
    await officer.get('/cases').expect(200);
    expect((await officer.get('/auth/me').expect(200)).body.mfa).toEqual({ enabled: false, required: false });

    const [{ id }] = await t.dataSource.query(`SELECT id FROM app_user WHERE username = 'kr.liaison'`);
    const pass = await (
      await signIn(t.server, 'kr.admin')
    )
      .post(`/users/${id}/mfa/enrolment-pass`)
      .expect(201);
    const { secret } = await enrol(liaison, pass.body.enrolmentPass);
    await liaison.get('/cases').expect(200);
    await liaison.get('/persons').expect(200);
    expect((await liaison.get('/auth/me').expect(200)).body.mfa).toEqual({ enabled: true, required: true });
    await liaison.delete('/auth/mfa', { code: totpCode(secret, Date.now(), 1) }).expect(204);
    expect((await liaison.get('/cases')).status).toBe(403);
    await liaison.post('/auth/logout').expect(204);
  });
});
