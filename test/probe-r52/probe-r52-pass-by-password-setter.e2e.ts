import { TEST_DEMO_PASSWORD } from '../support/demo-password';
import { signIn, SignedIn } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';
import { totpCode } from '../support/totp';

/**
 * Probe r52, part A (design): the enrolment pass is what stops whoever holds an account's password from
 * enrolling an authenticator of their own. An admin who set that password (the account's creator, or
 * the admin whose reset set it) holds it: if the same admin also issues the pass, the pass adds nothing
 * against that admin, and the four eyes the enable and the reset confirmation ask for are undone: the
 * admin signs in as the new liaison, enrols a phone of their own, and the owner can no longer sign in.
 * FINDING (fixed): such an admin is refused (403, audited) until the owner sets a password of their own;
 * another admin of the country issues the pass.
 */
describe('Probe r52: the admin who set an account’s password issues no enrolment pass for it', () => {
  let t: TestApp;
  let krAdmin: SignedIn;
  let krAdmin2: SignedIn;
  const ADMIN2_PASSWORD = 'second kr admin passphrase r52';
  const CREATED_PASSWORD = 'initial passphrase the admin chose r52';
  const RESET_PASSWORD = 'reset passphrase the admin chose r52';

  beforeAll(async () => {
    t = await createTestApp({}, { MFA_REQUIRED_ROLES: 'liaison' });
    const krAgencyId = (await t.dataSource.query(`SELECT id FROM agency WHERE country_code = 'KR'`))[0].id;
    await (
      await signIn(t.server, 'platform.admin')
    )
      .post('/users', {
        username: 'kr.admin2',
        displayName: 'Second KR admin',
        agencyId: krAgencyId,
        roles: ['admin'],
        password: ADMIN2_PASSWORD,
      })
      .expect(201);
    krAdmin = await signIn(t.server, 'kr.admin');
    krAdmin2 = await signIn(t.server, 'kr.admin2', ADMIN2_PASSWORD);
  }, 60_000);
  afterAll(() => t?.close());

  const enrol = async (who: SignedIn, password: string, enrolmentPass: string) => {
    const { secret } = (await who.post('/auth/mfa/enrolment').expect(201)).body as { secret: string };
    return who.post('/auth/mfa/enrolment/confirm', {
      code: totpCode(secret),
      currentPassword: password,
      enrolmentPass,
    });
  };

  it('FINDING: the creator of a new liaison account issues it no pass (another admin does), until its owner sets their own password', async () => {
    const krAgencyId = (await t.dataSource.query(`SELECT id FROM agency WHERE country_code = 'KR'`))[0].id;
    const created = (
      await krAdmin
        .post('/users', {
          username: 'kr.liaison.r52',
          displayName: 'New liaison',
          agencyId: krAgencyId,
          roles: ['liaison'],
          password: CREATED_PASSWORD,
        })
        .expect(201)
    ).body as { id: string };
    await krAdmin2.post(`/users/${created.id}/enable`).expect(200);

    // On main: 201, and kr.admin then signs in with the password it chose and enrols a phone of its own.
    const byCreator = await krAdmin.post(`/users/${created.id}/mfa/enrolment-pass`);
    expect(byCreator.status).toBe(403);
    expect(
      await t.dataSource.query(`SELECT 1 FROM mfa_enrolment_pass WHERE user_id = $1`, [created.id]),
    ).toEqual([]);
    const refusal = await t.dataSource.query(
      `SELECT actor_username FROM audit_event WHERE record_id = $1 AND outcome = 'denied'`,
      [created.id],
    );
    expect(refusal.map((e: { actor_username: string }) => e.actor_username)).toContain('kr.admin');

    // Control: the second admin issues it, and the owner enrols with it.
    const pass = (await krAdmin2.post(`/users/${created.id}/mfa/enrolment-pass`).expect(201)).body
      .enrolmentPass as string;
    expect(
      (await enrol(await signIn(t.server, 'kr.liaison.r52', CREATED_PASSWORD), CREATED_PASSWORD, pass))
        .status,
    ).toBe(200);
  });

  it('FINDING: the admin whose reset set the password issues no pass; once the owner changes it, that admin may', async () => {
    const [{ id }] = await t.dataSource.query(`SELECT id FROM app_user WHERE username = 'kr.liaison2'`);
    await krAdmin.post(`/users/${id}/reset-password`, { newPassword: RESET_PASSWORD }).expect(204);
    await krAdmin2.post(`/users/${id}/reset-password/confirm`).expect(200);
    expect((await krAdmin.post(`/users/${id}/mfa/enrolment-pass`)).status).toBe(403);
    // The owner sets a password of their own (a route open before enrolment): the resetter no longer holds it.
    const owner = await signIn(t.server, 'kr.liaison2', RESET_PASSWORD);
    await owner
      .post('/auth/password', {
        currentPassword: RESET_PASSWORD,
        newPassword: 'the owner’s own passphrase r52',
      })
      .expect(204);
    expect((await krAdmin.post(`/users/${id}/mfa/enrolment-pass`)).status).toBe(201);
    // Accounts whose password no admin set (the demo's, set by the seed): any other admin of the country.
    const [{ id: liaison }] = await t.dataSource.query(
      `SELECT id FROM app_user WHERE username = 'kr.liaison'`,
    );
    expect((await krAdmin.post(`/users/${liaison}/mfa/enrolment-pass`)).status).toBe(201);
  });

  it('the admin who reset an account’s second factor issues no pass for it (another admin does); the enrolment clears that', async () => {
    // kr.liaison enrols (its password was set by the seed, so kr.admin may issue the pass).
    const [{ id }] = await t.dataSource.query(`SELECT id FROM app_user WHERE username = 'kr.liaison'`);
    const first = (await krAdmin.post(`/users/${id}/mfa/enrolment-pass`).expect(201)).body
      .enrolmentPass as string;
    expect((await enrol(await signIn(t.server, 'kr.liaison'), TEST_DEMO_PASSWORD, first)).status).toBe(200);

    // kr.admin resets it (a lost phone, or an admin who came by the password): alone, it must not also
    // hand out the pass that enrols a new authenticator.
    await krAdmin.post(`/users/${id}/mfa/reset`).expect(204);
    expect((await krAdmin.post(`/users/${id}/mfa/enrolment-pass`)).status).toBe(403);
    expect(await t.dataSource.query(`SELECT 1 FROM mfa_enrolment_pass WHERE user_id = $1`, [id])).toEqual([]);
    const second = (await krAdmin2.post(`/users/${id}/mfa/enrolment-pass`).expect(201)).body
      .enrolmentPass as string;
    expect((await enrol(await signIn(t.server, 'kr.liaison'), TEST_DEMO_PASSWORD, second)).status).toBe(200);
    const [{ mfa_reset_by }] = await t.dataSource.query(`SELECT mfa_reset_by FROM app_user WHERE id = $1`, [
      id,
    ]);
    expect(mfa_reset_by).toBeNull();
  });
});
