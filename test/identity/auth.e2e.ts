import request from 'supertest';
import { Clock } from '../../src/common/time/clock';
import { createTestApp, TestApp } from '../support/test-app';
import { TEST_DEMO_PASSWORD } from '../support/demo-password';
import { login, signIn } from '../support/http';

describe('Authentication: sign-in, refresh rotation, logout, session limit, lockout', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());
  afterEach(() => jest.restoreAllMocks());

  const refresh = (refreshToken: string) =>
    request(t.server).post('/api/v1/auth/refresh').send({ refreshToken });
  const me = (accessToken: string) =>
    request(t.server).get('/api/v1/auth/me').set('Authorization', `Bearer ${accessToken}`);

  it('signs in and says who the caller is, without any password hash', async () => {
    const tokens = await login(t.server, 'kr.officer');
    expect(tokens.expiresIn).toBe(900);
    const res = await me(tokens.accessToken).expect(200);
    expect(res.body).toMatchObject({
      username: 'kr.officer',
      countryCode: 'KR',
      roles: ['officer'],
      status: 'active',
    });
    expect(JSON.stringify(res.body)).not.toMatch(/hash|argon/i);
  });

  it('rotates refresh tokens, and reuse of a rotated token revokes the whole family', async () => {
    const first = await login(t.server, 'kr.liaison');
    const second = (await refresh(first.refreshToken).expect(200)).body;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const third = (await refresh(second.refreshToken).expect(200)).body;

    await refresh(first.refreshToken).expect(401); // replayed: the family is revoked
    await refresh(third.refreshToken).expect(401); // so the newest token died too
    await me(third.accessToken).expect(401); // and the session's access tokens
    const events = await t.dataSource.query(
      `SELECT outcome FROM audit_event WHERE action = 'auth.refresh.reuse'`,
    );
    expect(events).toEqual([{ outcome: 'denied' }]);
  });

  it('a refresh is the user’s own event: their country’s auditors read it, no other country’s', async () => {
    const first = await login(t.server, 'kh.officer2');
    await refresh(first.refreshToken).expect(200);
    const [{ id: userId }] = await t.dataSource.query(
      `SELECT id FROM app_user WHERE username = 'kh.officer2'`,
    );
    const refreshesSeenBy = async (auditor: string) =>
      (
        await (
          await signIn(t.server, auditor)
        )
          .get(`/audit-events?action=auth.refresh&recordId=${userId}`)
          .expect(200)
      ).body.items;
    const seen = await refreshesSeenBy('kh.auditor');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      ownerCountry: 'KH',
      actor: expect.objectContaining({ username: 'kh.officer2' }),
    });
    expect(await refreshesSeenBy('kr.auditor')).toEqual([]);
  });

  it("a sign-in with an unknown username in a country's namespace is audited for that country's auditors only", async () => {
    await request(t.server)
      .post('/api/v1/auth/login')
      .send({ username: 'kh.nobody-here', password: 'not-the-password-1' })
      .expect(401);
    await request(t.server)
      .post('/api/v1/auth/login')
      .send({ username: 'zz.nobody-here', password: 'not-the-password-1' })
      .expect(401);
    const failuresSeenBy = async (auditor: string) =>
      (
        await (
          await signIn(t.server, auditor)
        )
          .get('/audit-events?action=auth.login.failed&limit=200')
          .expect(200)
      ).body.items.filter((e: { details?: { username?: string } }) =>
        e.details?.username?.endsWith('.nobody-here'),
      );
    const seenByKh = await failuresSeenBy('kh.auditor');
    expect(seenByKh).toHaveLength(1);
    expect(seenByKh[0]).toMatchObject({
      ownerCountry: 'KH',
      outcome: 'failed',
      details: { username: 'kh.nobody-here', reason: 'unknown-user' },
    });
    expect(await failuresSeenBy('kr.auditor')).toEqual([]);
    // A prefix that is no country's: recorded, owned by nobody.
    const [{ owners }] = await t.dataSource.query(
      `SELECT array_agg(owner_country ORDER BY id) AS owners FROM audit_event
        WHERE action = 'auth.login.failed' AND details->>'username' = 'zz.nobody-here'`,
    );
    expect(owners).toEqual([null]);
  });

  it('logout ends the session: its access and refresh tokens stop working', async () => {
    const tokens = await login(t.server, 'kh.officer');
    await request(t.server)
      .post('/api/v1/auth/logout')
      .set('Authorization', `Bearer ${tokens.accessToken}`)
      .expect(204);
    await me(tokens.accessToken).expect(401);
    await refresh(tokens.refreshToken).expect(401);
  });

  it('ends a session 12 hours after sign-in however often it was refreshed', async () => {
    const clock = t.app.get(Clock);
    const start = Date.now();
    let tokens = await login(t.server, 'my.officer');
    for (const hours of [4, 8, 11.9]) {
      jest.spyOn(clock, 'now').mockReturnValue(new Date(start + hours * 3600_000));
      tokens = (await refresh(tokens.refreshToken).expect(200)).body;
    }
    jest.spyOn(clock, 'now').mockReturnValue(new Date(start + 12 * 3600_000 + 1000));
    await refresh(tokens.refreshToken).expect(401);
    await new Promise((r) => setTimeout(r, 2100)); // past the per-request user cache
    await me(tokens.accessToken).expect(401);
  });

  it('locks an account after 5 failures: the 6th attempt fails even with the right password; admin unlock works', async () => {
    const attempt = (password: string) =>
      request(t.server).post('/api/v1/auth/login').send({ username: 'kh.officer2', password });
    for (let i = 0; i < 5; i++) await attempt('wrong password number ' + i).expect(401);
    await attempt(TEST_DEMO_PASSWORD).expect(401);

    const admin = await signIn(t.server, 'kh.admin');
    const list = await admin.get('/users?limit=200').expect(200);
    const locked = list.body.items.find((u: { username: string }) => u.username === 'kh.officer2');
    expect(locked.locked).toBe(true);
    await admin.post(`/users/${locked.id}/unlock`).expect(200);
    await attempt(TEST_DEMO_PASSWORD).expect(200);
    const lockouts = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'auth.lockout' AND record_id = $1`,
      [locked.id],
    );
    expect(lockouts[0].n).toBe(1);
  });

  it('answers unknown and known usernames with the same status and body', async () => {
    const unknown = await request(t.server)
      .post('/api/v1/auth/login')
      .send({ username: 'nobody.here', password: 'whatever password' });
    const known = await request(t.server)
      .post('/api/v1/auth/login')
      .send({ username: 'my.liaison', password: 'whatever password' });
    expect(unknown.status).toBe(401);
    expect(known.status).toBe(401);
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
    expect(strip(unknown.body)).toEqual(strip(known.body));
  });

  it("refuses a disabled user's still-valid access token on the next request", async () => {
    const victim = await login(t.server, 'my.screener');
    await me(victim.accessToken).expect(200);
    const admin = await signIn(t.server, 'my.admin');
    const users = await admin.get('/users?role=screener').expect(200);
    const id = users.body.items.find((u: { username: string }) => u.username === 'my.screener').id;
    await admin.post(`/users/${id}/disable`).expect(200);
    await me(victim.accessToken).expect(401);
    await request(t.server)
      .post('/api/v1/auth/login')
      .send({ username: 'my.screener', password: TEST_DEMO_PASSWORD })
      .expect(401);
  });

  it('changes the own password: policy enforced, old sessions end, new password works', async () => {
    const user = await signIn(t.server, 'kr.screener');
    const short = await user
      .post('/auth/password', { currentPassword: TEST_DEMO_PASSWORD, newPassword: 'short' })
      .expect(400);
    expect(short.body.errors[0].field).toBe('newPassword');
    const common = await user
      .post('/auth/password', { currentPassword: TEST_DEMO_PASSWORD, newPassword: 'password1234' })
      .expect(400);
    expect(common.body.errors[0].message).toMatch(/common/);
    for (const trivial of ['\u200b'.repeat(12), '\u200b\u200c\u2060'.repeat(4), 'z'.repeat(16)]) {
      const refused = await user.post('/auth/password', {
        currentPassword: TEST_DEMO_PASSWORD,
        newPassword: trivial,
      });
      expect({ status: refused.status, field: refused.body.errors?.[0]?.field }).toEqual({
        status: 400,
        field: 'newPassword',
      });
    }
    const newPassword = 'a long passphrase with spaces ünïcode 한국';
    await user.post('/auth/password', { currentPassword: TEST_DEMO_PASSWORD, newPassword }).expect(204);
    await me(user.tokens.accessToken).expect(401);
    await login(t.server, 'kr.screener', newPassword);
  });

  it('rate-limits failed sign-ins per username with 429 and Retry-After, and shows no rate-limit headers', async () => {
    const limited = await createTestApp({}, { LOGIN_RATE_LIMIT_PER_USERNAME: '3' });
    try {
      const attempt = (password = 'not the password') =>
        request(limited.server).post('/api/v1/auth/login').send({ username: 'kr.auditor', password });
      // Successful sign-ins are not counted.
      for (let i = 0; i < 4; i++) await attempt(TEST_DEMO_PASSWORD).expect(200);
      for (let i = 0; i < 3; i++) {
        const refused = await attempt().expect(401);
        expect(Object.keys(refused.headers).filter((h) => h.startsWith('x-ratelimit'))).toEqual([]);
      }
      const res = await attempt().expect(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.body).toMatchObject({ status: 429 });
      // Blocked before the password is checked: the right one waits too, and no failure is audited for it.
      const failures = `SELECT count(*)::int AS n FROM audit_event WHERE action = 'auth.login.failed'`;
      const [before] = await limited.dataSource.query(failures);
      await attempt(TEST_DEMO_PASSWORD).expect(429);
      expect(await limited.dataSource.query(failures)).toEqual([before]);
      // An unknown username fills its bucket the same way.
      const unknown = () =>
        request(limited.server)
          .post('/api/v1/auth/login')
          .send({ username: 'kr.nobody.at.all', password: 'not the password' });
      for (let i = 0; i < 3; i++) await unknown().expect(401);
      await unknown().expect(429);
    } finally {
      await limited.close();
    }
  });
});
