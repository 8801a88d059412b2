import request from 'supertest';
import { login } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 17, existence oracles by side channel): the sign-in throttle keeps one bucket per
 * username (`login-username`, src/auth/auth.module.ts) that every attempt fills — the account's own
 * successful sign-ins included, since the guard counts before passport checks the password — and
 * @nestjs/throttler reports that bucket on every answer (`setHeaders` is not turned off):
 * `X-RateLimit-Remaining-login-username` and `X-RateLimit-Reset-login-username`. Anyone, signed in or
 * not (a Malaysian officer at its own desk), who sends one wrong password for `kr.officer` reads how
 * many times that username was used in the last minute and when the window began; an unknown username
 * (or an idle one) reads a full bucket. So a partner learns that a Korean account exists and is in use,
 * and when its owner signs in, though `GET /users/:id` answers it 404 and the 401 body is the same as
 * for a username that never existed. Without the headers, the point where 429 starts tells the same:
 * the account's own sign-ins use up the outsider's attempts.
 * Fix: `setHeaders: false` for the sign-in throttlers (the 429's Retry-After is enough for a client),
 * and count only failed attempts in the per-username bucket (e.g. give back the hit on success, or
 * throttle failures in `CredentialsService`), so a successful sign-in leaves nothing an outsider reads.
 */
describe('Probe r17: the sign-in throttle tells anyone how often a username signed in', () => {
  let t: TestApp;
  const LIMIT = 5;
  const wrongPassword = (username: string) =>
    request(t.server).post('/api/v1/auth/login').send({ username, password: 'not the password at all 9' });
  /**
   * What an outsider reads of a refused sign-in: status, body and headers, less what differs on every
   * answer (date, request id) and the per-address counters (the caller's own address, not the username's).
   */
  const answerOf = (res: request.Response) => {
    const { requestId: _r, instance: _i, ...body } = res.body as Record<string, unknown>;
    const headers = Object.fromEntries(
      Object.entries(res.headers).filter(
        ([name]) => !['date', 'x-request-id'].includes(name) && !name.endsWith('-login-address'),
      ),
    );
    return { status: res.status, body, headers };
  };
  /** Wrong passwords until the first 429: how many were answered 401 first (LIMIT + 1 attempts at most). */
  const attemptsBeforeThrottled = async (username: string) => {
    for (let i = 0; i <= LIMIT; i++) if ((await wrongPassword(username)).status === 429) return i;
    return LIMIT + 1;
  };

  beforeAll(async () => {
    t = await createTestApp({}, { LOGIN_RATE_LIMIT_PER_USERNAME: String(LIMIT) });
  }, 120_000);
  afterAll(() => t?.close());

  it('a wrong password for an account that just signed in answers as one for a username that never existed', async () => {
    // KR's officer signs in twice at its own desk (the activity an outsider must not read).
    await login(t.server, 'kr.officer');
    await login(t.server, 'kr.officer');
    const known = await wrongPassword('kr.officer');
    const unknown = await wrongPassword('kr.nobody77');
    expect(known.status).toBe(401);
    expect(answerOf(known)).toEqual(answerOf(unknown));
  });

  it('and the account’s own sign-ins do not use up an outsider’s attempts (429 comes as for an unknown username)', async () => {
    await login(t.server, 'kr.liaison');
    await login(t.server, 'kr.liaison');
    await login(t.server, 'kr.liaison');
    const afterActivity = await attemptsBeforeThrottled('kr.liaison');
    const neverUsed = await attemptsBeforeThrottled('kr.nobody88');
    expect(neverUsed).toBe(LIMIT); // the throttle works: LIMIT refusals, then 429
    expect(afterActivity).toBe(neverUsed);
  });
});
