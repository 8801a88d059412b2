import request from 'supertest';
import { givenIn } from '../support/given';
import { signIn, SignedIn } from '../support/http';
import type { TaskForce } from '../support/scenario';
import { HEAVY_TEST_TIMEOUT_MS } from '../support/timeouts';
import type { TestApp } from '../support/test-app';
import {
  aCopyOf,
  cutUserCacheListener,
  Replicas,
  sharedDesk,
  through,
  userCacheListenerOf,
  waitFor,
} from './r35-support';

/**
 * Probe r35: an account change made through replica A — a disable, a password reset, a sign-out, a
 * stolen refresh token coming back, a role taken away — and the user's next request sent to replica B,
 * which had just served them (its user cache holds them for up to two seconds).
 *
 * The identity changes are tried on every GET route of the API (the OpenAPI document's, path
 * parameters filled with an id): right after the change B refuses the token on each (401). Before a
 * disable B lets it through on each (no 401: the control); before a reset or a sign-out B has served
 * the user (`/auth/me`), so holds them in its cache. The role change is tried on the record it hides (a
 * RED request sent to the user's country, which only a liaison or the officer it is assigned to reads).
 *
 * Finding (fixed): B's user cache is only as fresh as its LISTEN connection. While that connection is
 * down (ended by the database, a restart, a failover, a pooler or an idle-session killer, until the
 * reconnection after 250 ms to 10 s), A's change neither reached B nor waited for it — A waits only
 * for the sessions PostgreSQL lists as listening — and B went on serving the user from a copy loaded
 * before the change (for the rest of its two seconds): a disabled user read on, a removed liaison read
 * a RED request.
 */
describe('Probe r35: account changes made through A, the user served by B at once', () => {
  let t: TestApp;
  let tf: TaskForce;
  let r: Replicas;
  /** Every GET route of the API but the public ones, as a path with its parameters filled. */
  let routes: string[];
  let redId: string;

  beforeAll(async () => {
    ({ t, tf, r } = await sharedDesk());
    const doc = (await request(t.server).get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    routes = Object.entries(doc.paths)
      .filter(([path, methods]) => 'get' in methods && path.startsWith('/api/v1/'))
      .map(([path]) =>
        path.replace(/\{countryCode\}/g, 'KR').replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000'),
      )
      .map((path) => (path.endsWith('/identifiers/seen-in') ? `${path}?kind=phone&value=%2B85512345678` : path));
    // The accounts this file changes: copies of demo accounts (the other case files use the demo ones).
    await aCopyOf(t, 'kr.officer2', 'kr.r35.disabled');
    await aCopyOf(t, 'kr.screener', 'kr.r35.reset');
    await aCopyOf(t, 'kh.officer2', 'kh.r35.signout');
    await aCopyOf(t, 'kh.liaison2', 'kh.r35.refresh');
    await aCopyOf(t, 'kr.auditor', 'kr.r35.auditor');
    await aCopyOf(t, 'kh.screener', 'kh.r35.screener');
    // Officer-and-liaison accounts of KR, for the role removals.
    await aCopyOf(t, 'kr.liaison', 'kr.r35.dual1', ['officer', 'liaison']);
    await aCopyOf(t, 'kr.liaison', 'kr.r35.dual2', ['officer', 'liaison']);
    redId = (await givenIn(tf).anInformationRequest().from('KH').sentTo('KR').handledAs('RED').sent()).id;
  }, HEAVY_TEST_TIMEOUT_MS);

  /** The status of every GET route for `who` through `replica`, all sent at once, as `{ route: status }`. */
  const everyRoute = async (replica: 'a' | 'b', who: SignedIn) => {
    const statuses = await Promise.all(routes.map(async (p) => (await through(r[replica], who).get(p)).status));
    return Object.fromEntries(routes.map((p, i) => [p, statuses[i]!]));
  };
  const refusedEverywhere = () => Object.fromEntries(routes.map((p) => [p, 401]));

  async function identityChange(username: string, change: (id: string) => Promise<void>) {
    const user = await signIn(t.server, username);
    const before = await everyRoute('b', user);
    await change(await tf.userId(username));
    const afterOnB = await everyRoute('b', user);
    const afterOnA = await everyRoute('a', user);
    return { before, afterOnB, afterOnA };
  }

  it('tries every GET route of the API', () => {
    expect(routes.length).toBeGreaterThan(40);
  });

  it('a user disabled through A is refused by B on every GET route at once, although B had just let it through on each', async () => {
    const admin = through(r.a, await signIn(t.server, 'kr.admin'));
    const seen = await identityChange('kr.r35.disabled', (id) => admin.post(`/users/${id}/disable`).expect(200).then());
    expect(Object.values(seen.before).filter((s) => s === 401)).toEqual([]);
    expect(seen.afterOnB).toEqual(refusedEverywhere());
    expect(seen.afterOnA).toEqual(refusedEverywhere());
  });

  it('a password reset through A: B refuses the old token on every GET route at once', async () => {
    const user = await signIn(t.server, 'kr.r35.reset');
    await through(r.b, user).get('/auth/me').expect(200); // B now holds the user
    const admin = through(r.a, await signIn(t.server, 'kr.admin'));
    await admin
      .post(`/users/${await tf.userId('kr.r35.reset')}/reset-password`, { newPassword: 'a brand new passphrase for r35' })
      .expect(204);
    expect(await everyRoute('b', user)).toEqual(refusedEverywhere());
  });

  it('a sign-out through A: B refuses that session’s token on every GET route at once', async () => {
    const user = await signIn(t.server, 'kh.r35.signout');
    await through(r.b, user).get('/auth/me').expect(200);
    await through(r.a, user).post('/auth/logout').expect(204);
    expect(await everyRoute('b', user)).toEqual(refusedEverywhere());
  });

  it('a refresh token presented twice through A ends the sign-in: B refuses its access token at once', async () => {
    const user = await signIn(t.server, 'kh.r35.refresh');
    await through(r.b, user).get('/auth/me').expect(200);
    const refresh = (token: string) => request(r.a.url).post('/api/v1/auth/refresh').send({ refreshToken: token });
    const rotated = (await refresh(user.tokens.refreshToken).expect(200)).body as { accessToken: string };
    await through(r.b, rotated.accessToken).get('/auth/me').expect(200);
    // The first refresh token again: copied, so the whole sign-in ends, for the thief and the owner.
    await refresh(user.tokens.refreshToken).expect(401);
    await through(r.b, rotated.accessToken).get('/auth/me').expect(401);
    await through(r.b, user).get('/auth/me').expect(401);
  });

  /** What a KR user reads of the RED request KH sent to KR, through `replica`. */
  const redReads = async (replica: 'a' | 'b', who: SignedIn) => {
    const via = through(r[replica], who);
    const list = (await via.get('/information-requests?limit=200').expect(200)).body.items as Array<{ id: string }>;
    return {
      view: (await via.get(`/information-requests/${redId}`)).status,
      history: (await via.get(`/information-requests/${redId}/history`)).status,
      messages: (await via.get(`/information-requests/${redId}/messages`)).status,
      listed: list.some((i) => i.id === redId),
    };
  };
  const READS = { view: 200, history: 200, messages: 200, listed: true };
  const HIDDEN = { view: 404, history: 404, messages: 404, listed: false };

  const leaveOfficerOnly = async (username: string) => {
    const id = await tf.userId(username);
    const admin = through(r.a, await signIn(t.server, 'kr.admin'));
    const current = (await admin.get(`/users/${id}`).expect(200)).body as { version: number };
    await admin.patch(`/users/${id}`, { roles: ['officer'], version: current.version }).expect(200);
  };

  it('a liaison role taken away through A: B at once no longer shows them the RED request', async () => {
    const dual = await signIn(t.server, 'kr.r35.dual1');
    const before = await redReads('b', dual);
    await leaveOfficerOnly('kr.r35.dual1');
    expect({ before, afterOnB: await redReads('b', dual), afterOnA: await redReads('a', dual) }).toEqual({
      before: READS,
      afterOnB: HIDDEN,
      afterOnA: HIDDEN,
    });
  });

  it('a user disabled through A while B’s LISTEN connection is down is refused by B at the next request', async () => {
    const user = await signIn(t.server, 'kr.r35.auditor');
    const onB = through(r.b, user);
    await onB.get('/auth/me').expect(200); // B now holds the user
    await cutUserCacheListener(t, r.b);
    const admin = through(r.a, await signIn(t.server, 'kr.admin'));
    await admin.post(`/users/${await tf.userId('kr.r35.auditor')}/disable`).expect(200);
    const next = (await onB.get('/auth/me')).status;
    const audit = (await onB.get('/audit-events?limit=1')).status;
    await waitFor('B to listen again', () => userCacheListenerOf(t, r.b));
    expect({ next, audit }).toEqual({ next: 401, audit: 401 });
  });

  it('a liaison role taken away through A while B’s LISTEN connection is down: B at once no longer shows the RED request', async () => {
    const dual = await signIn(t.server, 'kr.r35.dual2');
    const before = await redReads('b', dual);
    await cutUserCacheListener(t, r.b);
    await leaveOfficerOnly('kr.r35.dual2');
    const afterOnB = await redReads('b', dual);
    await waitFor('B to listen again', () => userCacheListenerOf(t, r.b));
    expect({ before, afterOnB }).toEqual({ before: READS, afterOnB: HIDDEN });
  });

  it('B, listening again, hears A’s changes: a user disabled through A is refused by B at once', async () => {
    const user = await signIn(t.server, 'kh.r35.screener');
    await through(r.b, user).get('/auth/me').expect(200);
    await through(r.b, user).get('/auth/me').expect(200);
    const admin = through(r.a, await signIn(t.server, 'kh.admin'));
    await admin.post(`/users/${await tf.userId('kh.r35.screener')}/disable`).expect(200);
    await through(r.b, user).get('/auth/me').expect(401);
  });
});
