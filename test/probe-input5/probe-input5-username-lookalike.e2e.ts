import request from 'supertest';
import { createTestApp, TestApp } from '../support/test-app';
import { TEST_DEMO_PASSWORD } from '../support/demo-password';

/**
 * Probe (input round 5): usernames that case folding turns into another. A username is trimmed and
 * lower-cased once, then must match `^[a-z0-9][a-z0-9._-]{2,63}$`, so that a look-alike is refused
 * rather than folded onto a real account (test/identity/hostile-identity: `kr.offİcer2`, full-width).
 *
 * Found: JavaScript's `toLowerCase()` folds U+212A KELVIN SIGN to the ASCII `k`: `Kr.officer2` (with
 * the Kelvin sign) passed the pattern as `kr.officer2` and signed in to that account with its
 * password. Now only ASCII letters are lower-cased (src/users/username.ts), and anything else stays
 * for the pattern to refuse; capitals and surrounding spaces still fold as before.
 */
describe('Probe: a username that lower-cases into another', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  const login = (username: string) =>
    request(t.server).post('/api/v1/auth/login').send({ username, password: TEST_DEMO_PASSWORD });
  const logins = async () =>
    (
      await t.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_event WHERE action = 'auth.login'
          AND record_id = (SELECT id::text FROM app_user WHERE username = 'kr.officer2')`,
      )
    )[0].n as number;

  it('the Kelvin sign for K: a 400 naming username, no sign-in to kr.officer2', async () => {
    const before = await logins();
    for (const username of ['\u212Ar.officer2', 'kr.officer2'.replace('k', '\u212A').toUpperCase()]) {
      const res = await login(username);
      expect({ username, status: res.status, field: res.body.errors?.[0]?.field }).toEqual({
        username,
        status: 400,
        field: 'username',
      });
    }
    expect(await logins()).toBe(before);
  });

  it('capitals and surrounding spaces still name the one account', async () => {
    for (const username of ['KR.OFFICER2', ' Kr.Officer2 ', 'kr.officer2\u3000'])
      expect({ username, status: (await login(username)).status }).toEqual({ username, status: 200 });
  });
});
