import request from 'supertest';
import { TEST_DEMO_PASSWORD } from '../support/demo-password';
import { signIn, SignedIn } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r13, finding 3: a password reset is four eyes, as a new account and a widening role change are.
 * The admin who resets a password knows it, so the account cannot sign in, and no token of it works,
 * until a second admin of the country confirms the reset.
 */
describe('Password reset: four eyes before the reset password signs in', () => {
  let t: TestApp;
  let krAdmin: SignedIn;
  let krAdmin2: SignedIn;
  const ADMIN2_PASSWORD = 'a perfectly long new password';
  const RESET_PASSWORD = 'a password only the admin knows 77';
  const idOf = async (username: string): Promise<string> =>
    (await t.dataSource.query(`SELECT id FROM app_user WHERE username = $1`, [username]))[0].id;
  const loginAs = (username: string, password: string) =>
    request(t.server).post('/api/v1/auth/login').send({ username, password });
  const withToken = (token: string, path: string) =>
    request(t.server).get(`/api/v1${path}`).set('Authorization', `Bearer ${token}`);
  const eventsOf = async (userId: string, since: number) =>
    (await t.dataSource.query(
      `SELECT action, outcome, actor_username, details FROM audit_event
        WHERE record_id = $1 AND id > $2 ORDER BY id`,
      [userId, since],
    )) as Array<{
      action: string;
      outcome: string;
      actor_username: string | null;
      details: Record<string, unknown> | null;
    }>;
  const lastEventId = async (): Promise<number> =>
    Number((await t.dataSource.query(`SELECT coalesce(max(id), 0) AS id FROM audit_event`))[0].id);

  beforeAll(async () => {
    t = await createTestApp();
    const platform = await signIn(t.server, 'platform.admin');
    const krAgencyId = (await t.dataSource.query(`SELECT id FROM agency WHERE country_code = 'KR'`))[0].id;
    await platform
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

  it('a reset account reads nothing until a second admin confirms: no sign-in, old tokens and refresh refused', async () => {
    const officerId = await idOf('kr.officer2');
    const before = await signIn(t.server, 'kr.officer2');
    await before.get('/cases').expect(200);
    const since = await lastEventId();

    await krAdmin.post(`/users/${officerId}/reset-password`, { newPassword: RESET_PASSWORD }).expect(204);

    // The sign-in it had: the access token and the refresh token stop working at once.
    await withToken(before.tokens.accessToken, '/cases').expect(401);
    await withToken(before.tokens.accessToken, '/auth/me').expect(401);
    await request(t.server)
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: before.tokens.refreshToken })
      .expect(401);
    // Neither the reset password nor the old one signs in, and no token comes back.
    const withReset = await loginAs('kr.officer2', RESET_PASSWORD);
    expect(withReset.status).toBe(401);
    expect(withReset.body.accessToken).toBeUndefined();
    expect(withReset.body.refreshToken).toBeUndefined();
    expect((await loginAs('kr.officer2', TEST_DEMO_PASSWORD)).status).toBe(401);

    // The admins see who reset it, and the refusal says why to the country's auditors only.
    const shown = await krAdmin2.get(`/users/${officerId}`).expect(200);
    expect(shown.body.passwordResetBy).toBe(await idOf('kr.admin'));
    expect(shown.body.status).toBe('active');
    const events = await eventsOf(officerId, since);
    expect(events.map((e) => [e.action, e.outcome])).toEqual([
      ['user.password.reset', 'success'],
      ['auth.login.failed', 'failed'],
      ['auth.login.failed', 'failed'],
    ]);
    expect(events[0]).toMatchObject({ actor_username: 'kr.admin', details: { awaitsConfirmation: true } });
    expect(events[1].details).toMatchObject({ reason: 'password-reset-unconfirmed' });
    expect(events[2].details).toMatchObject({ reason: 'wrong-password' });

    // The second admin hears that a reset waits for it (as for a role change); the password is in no
    // notification, and no other country hears of it.
    const resetNotices = async (who: SignedIn) =>
      (
        (await who.get('/notifications?limit=200').expect(200)).body.items as Array<Record<string, unknown>>
      ).filter((n) => n.eventType === 'user.password_reset_requested');
    const notices = await resetNotices(krAdmin2);
    expect(notices).toEqual([
      expect.objectContaining({
        recordType: 'user',
        recordId: officerId,
        payload: { username: 'kr.officer2', requestedBy: 'kr.admin' },
      }),
    ]);
    expect(JSON.stringify(notices)).not.toContain(RESET_PASSWORD);
    expect(await resetNotices(await signIn(t.server, 'kh.admin'))).toEqual([]);
    expect(await resetNotices(await signIn(t.server, 'kr.officer'))).toEqual([]);
  });

  it('the admin who reset it cannot confirm it, nor can another country or the platform administrator', async () => {
    const officerId = await idOf('kr.officer2');
    const since = await lastEventId();
    const own = await krAdmin.post(`/users/${officerId}/reset-password/confirm`);
    expect(own.status).toBe(403);
    const khAdmin = await signIn(t.server, 'kh.admin');
    await khAdmin.post(`/users/${officerId}/reset-password/confirm`).expect(404);
    const platform = await signIn(t.server, 'platform.admin');
    // The platform administrator sees admin accounts only: an officer is not there for it.
    await platform.post(`/users/${officerId}/reset-password/confirm`).expect(404);
    // Nor does an edit of the account clear it (no DTO carries the field).
    const current = (await krAdmin.get(`/users/${officerId}`).expect(200)).body;
    const edit = await krAdmin
      .patch(`/users/${officerId}`, { passwordResetBy: null, version: current.version })
      .expect(400);
    expect(edit.body.errors).toEqual([expect.objectContaining({ field: 'passwordResetBy' })]);
    const officer = await signIn(t.server, 'kr.officer');
    await officer.post(`/users/${officerId}/reset-password/confirm`).expect(403);
    expect((await loginAs('kr.officer2', RESET_PASSWORD)).status).toBe(401);
    const denied = (await eventsOf(officerId, since)).filter((e) => e.outcome === 'denied');
    // The reset's own admin (403), KH's admin and the platform administrator (404).
    expect(denied.map((e) => e.actor_username)).toEqual(['kr.admin', 'kh.admin', 'platform.admin']);
    expect(
      (await t.dataSource.query(`SELECT password_reset_by FROM app_user WHERE id = $1`, [officerId]))[0]
        .password_reset_by,
    ).toBe(await idOf('kr.admin'));
  });

  it('a second admin of the country confirms the reset, audited; then the password signs in and reads', async () => {
    const officerId = await idOf('kr.officer2');
    const since = await lastEventId();
    const confirmed = await krAdmin2.post(`/users/${officerId}/reset-password/confirm`).expect(200);
    expect(confirmed.body.passwordResetBy).toBeNull();
    await krAdmin2.post(`/users/${officerId}/reset-password/confirm`).expect(409);
    const officer = await signIn(t.server, 'kr.officer2', RESET_PASSWORD);
    await officer.get('/cases').expect(200);
    const events = await eventsOf(officerId, since);
    expect(events[0]).toMatchObject({
      action: 'user.password.reset.confirm',
      outcome: 'success',
      actor_username: 'kr.admin2',
      details: { resetBy: await idOf('kr.admin') },
    });
  });

  it('a reset of an admin account waits for a second admin too, so one admin cannot take over another', async () => {
    const admin2Id = await idOf('kr.admin2');
    await krAdmin.post(`/users/${admin2Id}/reset-password`, { newPassword: RESET_PASSWORD }).expect(204);
    await krAdmin2.get('/users').expect(401);
    expect((await loginAs('kr.admin2', RESET_PASSWORD)).status).toBe(401);
    // The only other admin of KR is the one who reset it: the account stays closed.
    await krAdmin.post(`/users/${admin2Id}/reset-password/confirm`).expect(403);
    expect((await loginAs('kr.admin2', RESET_PASSWORD)).status).toBe(401);
  });
});
