import { randomUUID } from 'node:crypto';
import { createTestApp, TestApp } from '../../support/test-app';
import { holds, ROUTE_PERMISSIONS } from '../authorization-expectations';
import { ROUTE_EXAMPLES } from '../route-examples';
import {
  buildWorld,
  describeChange,
  loadRoutes,
  ownWriteTarget,
  Route,
  send,
  SignedCaller,
  signInEveryone,
  snapshotter,
  versionLookup,
  World,
} from '../security-support';
import type { Permission } from '../../../src/common/permissions/permissions';

/** Fields a client must never set; each is refused unless the route's DTO declares it. */
const FORBIDDEN: Record<string, unknown> = {
  status: 'closed',
  version: 99,
  countryCode: 'MY',
  ownerCountry: 'MY',
  approvedBy: randomUUID(),
  roles: ['admin'],
  id: randomUUID(),
  createdAt: '2020-01-01T00:00:00.000Z',
};

/** Issue 10, suite 3: every write DTO refuses each forbidden field added to an otherwise-valid body. */
describe('Mass assignment', () => {
  let t: TestApp;
  let routes: Route[];
  let callers: SignedCaller[];
  let world: World;
  beforeAll(async () => {
    t = await createTestApp();
    routes = (await loadRoutes(t)).filter(
      (r) => r.hasJsonBody && ['POST', 'PUT', 'PATCH'].includes(r.method),
    );
    callers = await signInEveryone(t);
    world = await buildWorld(t, callers);
  }, 120_000);
  afterAll(() => t?.close());

  it('refuses each forbidden field with 400 naming it, and changes nothing', async () => {
    const snapshot = await snapshotter(t);
    const versionOf = await versionLookup(t);
    const skipped: string[] = [];
    const declared: string[] = [];
    const accepted: string[] = [];
    const changed: string[] = [];
    let cases = 0;
    for (const route of routes) {
      const permission = ROUTE_PERMISSIONS[route.key];
      const example = ROUTE_EXAMPLES[route.key];
      const target = ownWriteTarget(route, permission, callers, world, (roles) =>
        holds(roles, permission as Permission),
      );
      if (!example || !target) {
        skipped.push(route.key);
        continue;
      }
      const ctx = {
        ...world.context[target.caller.country ?? 'KR'],
        version: target.recordId ? await versionOf(target.recordId) : 1,
      };
      for (const [field, value] of Object.entries(FORBIDDEN)) {
        if (route.bodyProperties.includes(field)) {
          declared.push(`${route.key} ${field}`);
          continue;
        }
        const before = await snapshot();
        const res = await send(t, route.method, target.url, target.caller.http.tokens.accessToken, {
          ...example(ctx),
          [field]: value,
        });
        cases++;
        // The body is otherwise valid: the forbidden field is the only thing named in the errors.
        const errors = (res.body?.errors ?? []) as { field?: string; message?: string }[];
        const aboutField = (e: { field?: string; message?: string }) =>
          e.field === field || (e.message ?? '').includes(field);
        const named = errors.length > 0 && errors.every(aboutField);
        if (res.status !== 400 || !named)
          accepted.push(`${route.key} + ${field} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        const after = await snapshot();
        if (after !== before) changed.push(`${route.key} + ${field}: ${describeChange(before, after)}`);
      }
    }
    console.log(
      `mass assignment: ${cases} cases over ${routes.length - skipped.length} write routes; ` +
        `${declared.length} route/field pairs skipped because the DTO declares the field; ` +
        `${skipped.length} routes without an example or caller, skipped: ${skipped.join(', ')}`,
    );
    expect(cases).toBeGreaterThan(300);
    expect(skipped.length).toBeLessThan(10);
    expect({ accepted, changed }).toEqual({ accepted: [], changed: [] });
  }, 120_000);
});
