import request from 'supertest';
import { createTestApp, TestApp } from '../support/test-app';
import { TEST_DEMO_PASSWORD } from '../support/demo-password';
import { signIn } from '../support/http';

/** Issue 17: forged sign-in bodies, forged addresses, racing failures, look-alike usernames. */
describe('Hostile identity input: sign-in bodies, forged addresses, racing failures, look-alike names', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  const loginWith = (body: unknown) =>
    request(t.server)
      .post('/api/v1/auth/login')
      .send(body as object);
  const userId = async (username: string): Promise<string> =>
    (await t.dataSource.query(`SELECT id FROM app_user WHERE username = $1`, [username]))[0].id;

  it('answers a malformed sign-in body with 400 naming the field, never 500 or 401', async () => {
    const cases: Array<[unknown, string]> = [
      [{ username: 123, password: 'whatever password' }, 'username'],
      [{ username: 'kr.officer', password: 123456789012 }, 'password'],
      [{ username: 'kr.officer' }, 'password'],
      [{ username: null, password: 'whatever password' }, 'username'],
      [{ username: { $ne: '' }, password: 'whatever password' }, 'username'],
      [{ username: ['kr.officer'], password: 'whatever password' }, 'username'],
      [{ password: 'whatever password' }, 'username'],
      [{ username: 'kr.officer', password: 'whatever password', admin: true }, 'admin'],
    ];
    for (const [body, field] of cases) {
      const res = await loginWith(body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
  });

  it('ignores X-Forwarded-For from a client that is not a configured proxy: the audit keeps the real address', async () => {
    await loginWith({ username: 'kr.officer', password: TEST_DEMO_PASSWORD })
      .set('X-Forwarded-For', '203.0.113.77')
      .expect(200);
    const [event] = await t.dataSource.query(
      `SELECT source_ip FROM audit_event WHERE action = 'auth.login' AND record_id = $1 ORDER BY id DESC LIMIT 1`,
      [await userId('kr.officer')],
    );
    expect(event.source_ip).not.toBe('203.0.113.77');
    expect(event.source_ip).toMatch(/127\.0\.0\.1|::1/);
  });

  it('counts five concurrent wrong passwords as five: the account locks', async () => {
    const id = await userId('my.liaison2');
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        loginWith({ username: 'my.liaison2', password: `wrong password number ${i}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    const [row] = await t.dataSource.query(
      `SELECT failed_logins, locked_until > now() AS locked FROM app_user WHERE id = $1`,
      [id],
    );
    expect(row).toEqual({ failed_logins: 5, locked: true });
    await loginWith({ username: 'my.liaison2', password: TEST_DEMO_PASSWORD }).expect(401);
  });

  it('refuses a look-alike username (dotted capital I, fullwidth letters) instead of folding it onto a real account', async () => {
    for (const username of ['kr.offİcer2', 'ｋｒ.officer2', 'KR.OFFICER2\u0000']) {
      const res = await loginWith({ username, password: TEST_DEMO_PASSWORD });
      expect({ username, status: res.status }).toEqual({ username, status: 400 });
      expect(res.body.errors[0].field).toBe('username');
    }
    const logins = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'auth.login' AND record_id = $1`,
      [await userId('kr.officer2')],
    );
    expect(logins[0].n).toBe(0);
    // Case and surrounding spaces are normalised once: still the one account, in one throttle bucket.
    await loginWith({ username: ' KR.Officer2 ', password: TEST_DEMO_PASSWORD }).expect(200);
  });

  it('counts wrong current passwords on POST /auth/password toward the lockout, each audited', async () => {
    const user = await signIn(t.server, 'kr.liaison2');
    const id = await userId('kr.liaison2');
    for (let i = 0; i < 5; i++) {
      const res = await user.post('/auth/password', {
        currentPassword: `a wrong guess number ${i}`,
        newPassword: 'a brand new long passphrase',
      });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('currentPassword');
    }
    const failures = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'auth.password.change.failed' AND record_id = $1`,
      [id],
    );
    expect(failures[0].n).toBe(5);
    const [row] = await t.dataSource.query(
      `SELECT locked_until > now() AS locked FROM app_user WHERE id = $1`,
      [id],
    );
    expect(row.locked).toBe(true);
    // Locked: even the right current password no longer changes it, and sign-in is refused.
    await user
      .post('/auth/password', {
        currentPassword: TEST_DEMO_PASSWORD,
        newPassword: 'a brand new long passphrase',
      })
      .expect(429);
    await loginWith({ username: 'kr.liaison2', password: TEST_DEMO_PASSWORD }).expect(401);
  });
});

// Each of these boots an app of its own: passport's strategies are process-wide, so they come after the
// shared app's tests (a closed app's strategy would otherwise answer for it).
describe('Sign-in limits: one bucket per username, addresses believed only from configured proxies', () => {
  it('shares one per-username throttle bucket between spellings of one username', async () => {
    const limited = await createTestApp({}, { LOGIN_RATE_LIMIT_PER_USERNAME: '3' });
    try {
      for (const username of ['kh.screener', 'KH.SCREENER', ' Kh.Screener']) {
        await request(limited.server)
          .post('/api/v1/auth/login')
          .send({ username, password: 'not the password at all' })
          .expect(401);
      }
      await request(limited.server)
        .post('/api/v1/auth/login')
        .send({ username: 'kh.Screener ', password: 'not the password at all' })
        .expect(429);
    } finally {
      await limited.close();
    }
  });

  it('a client cannot dodge the per-address sign-in limit by rotating X-Forwarded-For', async () => {
    const t = await createTestApp({}, { LOGIN_RATE_LIMIT_PER_ADDRESS: '3' });
    try {
      const attempt = (i: number) =>
        request(t.server)
          .post('/api/v1/auth/login')
          .set('X-Forwarded-For', `198.51.100.${i}`)
          .send({ username: `nobody.${i}`, password: 'not the password at all' });
      for (let i = 1; i <= 3; i++) await attempt(i).expect(401);
      await attempt(4).expect(429);
    } finally {
      await t.close();
    }
  });

  it('believes X-Forwarded-For from a proxy listed in TRUSTED_PROXIES', async () => {
    const t = await createTestApp({}, { TRUSTED_PROXIES: '127.0.0.1/32, ::1' });
    try {
      await request(t.server)
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', '203.0.113.8')
        .send({ username: 'kh.auditor', password: TEST_DEMO_PASSWORD })
        .expect(200);
      const [event] = await t.dataSource.query(
        `SELECT source_ip FROM audit_event WHERE action = 'auth.login' ORDER BY id DESC LIMIT 1`,
      );
      expect(event.source_ip).toBe('203.0.113.8');
    } finally {
      await t.close();
      process.env.TRUSTED_PROXIES = '';
    }
  });
});
