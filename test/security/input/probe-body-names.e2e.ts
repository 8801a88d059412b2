import request from 'supertest';
import { createTestApp, TestApp } from '../../support/test-app';
import { holds, ROUTE_PERMISSIONS } from '../authorization-expectations';
import { ExampleContext, ROUTE_EXAMPLES } from '../route-examples';
import {
  buildWorld,
  loadRoutes,
  ownWriteTarget,
  Route,
  send,
  SignedCaller,
  signInEveryone,
  versionLookup,
  World,
} from '../security-support';
import type { Permission } from '../../../src/common/permissions/permissions';

/** Names every JavaScript object answers to without having them (`__proto__` is the JSON parser's). */
const PROTOTYPE_NAMES = ['toString', 'valueOf', 'constructor', 'hasOwnProperty', '__defineGetter__'];

/** The example with `name` added at its top level and in its first nested object, if it has one. */
function withName(example: Record<string, unknown>, name: string): Array<Record<string, unknown>> {
  const bodies: Array<Record<string, unknown>> = [{ ...example, [name]: '1' }];
  for (const [key, value] of Object.entries(example)) {
    const inner = Array.isArray(value) ? value[0] : value;
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      const nested = { ...(inner as object), [name]: '1' };
      bodies.push({ ...example, [key]: Array.isArray(value) ? [nested, ...value.slice(1)] : nested });
      break;
    }
  }
  return bodies;
}

/**
 * Probe (session 12): the query's Object.prototype names are refused (probe-query-names); a JSON body
 * can carry the same names as fields, at the top or deeper. Every write route answers them as it
 * answers any field it does not define: a 400 naming the field, and nothing stored.
 */
describe('Probe: body field names that are Object.prototype members', () => {
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

  it('every JSON write route answers ?toString-like field names with a 400 naming the field', async () => {
    const versionOf = await versionLookup(t);
    const wrong: string[] = [];
    for (const route of routes) {
      const permission = ROUTE_PERMISSIONS[route.key];
      const target = ownWriteTarget(route, permission, callers, world, (roles) =>
        holds(roles, permission as Permission),
      );
      const ctx: ExampleContext = {
        ...world.context.KR,
        version: target?.recordId ? await versionOf(target.recordId) : 1,
      };
      const example = ROUTE_EXAMPLES[route.key]?.(ctx) as Record<string, unknown> | undefined;
      if (!example) continue;
      for (const name of PROTOTYPE_NAMES)
        for (const body of withName(example, name)) {
          const res: request.Response = await send(
            t,
            route.method,
            target?.url ?? route.path,
            target?.caller.http.tokens.accessToken,
            body,
          );
          const named = JSON.stringify(res.body?.errors ?? []).includes(name);
          if (res.status !== 400 || !named)
            wrong.push(
              `${route.key} ${JSON.stringify(body).slice(0, 160)} → ${res.status} ${res.text.slice(0, 200)}`,
            );
        }
    }
    expect(wrong).toEqual([]);
  }, 240_000);
});
