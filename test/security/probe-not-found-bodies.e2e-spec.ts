import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import { createTestApp, TestApp } from '../support/test-app';
import { ROUTE_EXAMPLES } from './route-examples';
import {
  buildWorld,
  fillPath,
  kindOf,
  loadRoutes,
  Route,
  send,
  SignedCaller,
  signInEveryone,
  versionSnapshot,
  World,
} from './security-support';

/** A problem body as a caller can compare two: everything but the request id. */
function answerOf(res: request.Response) {
  const { requestId: _id, instance: _instance, ...body } = (res.body ?? {}) as Record<string, unknown>;
  return { status: res.status, contentType: String(res.headers['content-type']), body };
}

/**
 * Probe (round 9): on every route that names a record, a caller of another country gets for a record it
 * may not see exactly what it gets for an id that never existed — status, type, title, detail and
 * errors —, whatever its role, so no answer (a 403 where the other is a 404, a 409 naming the state, a
 * detail naming the owner) tells it the record exists.
 */
describe('Probe: a record the caller may not see is answered as an id that never existed', () => {
  let t: TestApp;
  let routes: Route[];
  let callers: SignedCaller[];
  let world: World;
  beforeAll(async () => {
    t = await createTestApp();
    routes = await loadRoutes(t);
    callers = await signInEveryone(t);
    world = await buildWorld(t, callers);
  }, 120_000);
  afterAll(() => t?.close());

  it('answers every route, for every caller and every unseen record, as for an id that never existed', async () => {
    // Every call below is a caller's on a record it may not see, refused (a difference otherwise): no
    // call changes a version, so they are read once, not once per case.
    const versionOf = await versionSnapshot(t);
    const differences: string[] = [];
    let cases = 0;
    const statuses = new Map<number, number>();
    // An id that never existed gets one answer per route, caller and body: asked once, compared with
    // every unseen record's (the suite's time was mostly these repeated questions).
    const neverAnswers = new Map<string, ReturnType<typeof answerOf>>();
    for (const route of routes) {
      const kind = kindOf(route.path);
      if (!kind) continue;
      for (const caller of callers.filter((c) => c.country)) {
        const unseen = world.records.filter(
          (r) =>
            r.kind === kind &&
            !r.global &&
            r.owner !== caller.country &&
            !r.visibleTo.includes(caller.country!),
        );
        for (const record of unseen) {
          const partner = caller.country === 'MY' ? 'KH' : 'MY';
          const ctx = world.context[caller.country!];
          const body =
            route.method === 'GET' || route.method === 'DELETE'
              ? undefined
              : (ROUTE_EXAMPLES[route.key]?.({ ...ctx, version: versionOf(record.id) }) ?? {});
          const token = caller.http.tokens.accessToken;
          // Other path values are ids that never existed either (random), so the record's id is the
          // only thing that tells the two calls apart.
          const url = fillPath(route.path, record.id, partner);
          const seen = answerOf(await send(t, route.method, url, token, body));
          const question = `${caller.username} ${route.method} ${route.path} ${JSON.stringify(body)}`;
          let none = neverAnswers.get(question);
          if (!none) {
            none = answerOf(await send(t, route.method, url.replace(record.id, randomUUID()), token, body));
            neverAnswers.set(question, none);
          }
          cases++;
          statuses.set(seen.status, (statuses.get(seen.status) ?? 0) + 1);
          if (JSON.stringify(seen) !== JSON.stringify(none))
            differences.push(
              `${caller.username} ${route.method} ${route.path} (${kind} of ${record.owner}): ${JSON.stringify(seen).slice(0, 200)} vs ${JSON.stringify(none).slice(0, 200)}`,
            );
        }
      }
    }
    console.log(
      `not-found bodies: ${cases} cases (${[...statuses].map(([s, n]) => `${n} × ${s}`).join(', ')}), ${differences.length} differences`,
    );
    expect(cases).toBeGreaterThan(500);
    // Most of them are the 404 of a record that does not exist for the caller, not a refusal by role.
    expect(statuses.get(404)).toBeGreaterThan(cases / 3);
    expect(differences).toEqual([]);
  }, 900_000);
});
