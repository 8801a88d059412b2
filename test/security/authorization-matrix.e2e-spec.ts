import { createTestApp, TestApp } from '../support/test-app';
import { expectationFor, ROUTE_PERMISSIONS } from './authorization-expectations';
import { ROUTE_EXAMPLES } from './route-examples';
import {
  buildWorld,
  COUNTRIES,
  describeChange,
  fillPath,
  isServerError,
  kindOf,
  loadRoutes,
  permissionsFromApp,
  Route,
  send,
  SignedCaller,
  signInEveryone,
  snapshotter,
  versionLookup,
  World,
} from './security-support';

/**
 * Issue 10, suite 1: every route of the app's own route table × every role of KR, KH and MY (and the
 * platform admin, and no token) × the records of the *other* countries (object ids swapped).
 */
describe('Authorization matrix generated from the route table', () => {
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

  it('names the same permission for every route as the app itself', () => {
    const fromApp = permissionsFromApp(t);
    const drift = routes
      .map((r) => ({
        key: r.key,
        app: fromApp.get(r.operationId.replace(/_v\d+$/, '')),
        table: ROUTE_PERMISSIONS[r.key],
      }))
      .filter((x) => x.app !== x.table);
    expect(drift).toEqual([]);
    expect(Object.keys(ROUTE_PERMISSIONS).sort()).toEqual(routes.map((r) => r.key).sort());
  });

  it('lets no caller see or change what the table refuses, and refusals change nothing', async () => {
    const snapshot = await snapshotter(t);
    const versionOf = await versionLookup(t);
    const unauthorised: string[] = [];
    const changed: string[] = [];
    const wrongStatus: string[] = [];
    const serverErrors: string[] = [];
    let cases = 0;
    let before = await snapshot();

    for (const [n, route] of routes.entries()) {
      // Refusals by role alone do not depend on the country: each route asks one country's users, in turn.
      const roleCountry = COUNTRIES[n % COUNTRIES.length];
      if (ROUTE_PERMISSIONS[route.key] === 'public') continue;
      const kind = kindOf(route.path);
      const example = ROUTE_EXAMPLES[route.key];
      for (const caller of [null, ...callers]) {
        const foreign = kind
          ? world.records.filter(
              (r) => r.kind === kind && (r.global || (caller?.country ?? null) !== r.owner),
            )
          : [undefined];
        if (kind && foreign.length === 0) throw new Error(`no ${kind} records for ${route.key}`);
        for (const [i, record] of foreign.entries()) {
          const expected = expectationFor(route.key, caller, record);
          // The record does not matter when the role already refuses: one call is enough.
          if ((expected.outcome === 'forbidden' || expected.outcome === 'unauthenticated') && i > 0) break;
          if (expected.outcome === 'forbidden' && caller?.country && caller.country !== roleCountry) break;
          // Collection routes that create things are for the other suites; reads are called.
          if (expected.outcome === 'allowed' && !record && route.method !== 'GET') continue;
          const partner = caller?.country === 'MY' ? 'KH' : 'MY';
          const url = record ? fillPath(route.path, record.id, partner) : route.path;
          const ctx = world.context[caller?.country ?? 'KR'];
          const body =
            route.method === 'GET' || route.method === 'DELETE'
              ? undefined
              : (example?.({ ...ctx, version: record ? await versionOf(record.id) : 1 }) ?? {});
          const res = await send(t, route.method, url, caller?.http.tokens.accessToken, body);
          cases++;
          const what = `${caller?.username ?? 'anonymous'} ${route.method} ${url} (${record?.kind ?? '-'} of ${record?.owner ?? '-'}) → ${res.status}`;
          if (isServerError(res.status)) serverErrors.push(what);
          if (expected.outcome === 'allowed') {
            before = await snapshot();
            continue;
          }
          if (res.status < 300) unauthorised.push(`${what}, expected ${expected.outcome}`);
          if (!expected.statuses.includes(res.status))
            wrongStatus.push(`${what}, expected ${expected.statuses.join('|')} (${expected.outcome})`);
          const after = await snapshot();
          if (after !== before) changed.push(`${what}: ${describeChange(before, after)}`);
          before = after;
        }
      }
    }
    console.log(
      `authorization matrix: ${cases} cases over ${routes.length} routes and ${callers.length + 1} callers`,
    );
    expect(cases).toBeGreaterThan(800);
    expect({ unauthorised, changed, serverErrors, wrongStatus }).toEqual({
      unauthorised: [],
      changed: [],
      serverErrors: [],
      wrongStatus: [],
    });
  }, 900_000);
});
