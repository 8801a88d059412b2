import fc from 'fast-check';
import request from 'supertest';
import { mediaTypeOf, OpenApiDocument, OpenApiResponseValidator } from '../support/openapi-responses';
import { createTestApp, TestApp } from '../support/test-app';
import { holds, ROUTE_PERMISSIONS } from './authorization-expectations';
import { ExampleContext, ROUTE_EXAMPLES } from './route-examples';
import {
  buildWorld,
  leaks,
  loadRoutes,
  ownWriteTarget,
  Route,
  send,
  SignedCaller,
  signInEveryone,
  versionLookup,
  World,
} from './security-support';
import type { Permission } from '../../src/auth/permissions';

const RUNS_PER_ENDPOINT = 30;
const SEED = 20261122;

/** Arbitrary JSON bodies, biased toward the route's own fields, huge numbers and prototype pollution. */
function bodies(route: Route, example: object | undefined) {
  const key = fc.oneof(
    fc.constantFrom('__proto__', 'constructor', 'prototype', ...route.bodyProperties),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
  );
  const leaf = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 60 }),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.integer(),
    fc.double(),
    fc.constantFrom(
      1e308,
      -1e308,
      2 ** 63,
      -(2 ** 63),
      1e-320,
      Number('12345678901234567890'),
      '9'.repeat(400),
    ),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom(
      '2026-02-30',
      '0000-00-00T00:00:00Z',
      "' OR 1=1 --",
      '../../etc/passwd',
      '\u0000',
      'x'.repeat(5000),
    ),
  );
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    ),
  }));
  const arbitraries: fc.Arbitrary<unknown>[] = [
    fc.jsonValue(),
    fc.dictionary(key, value, { maxKeys: 6 }),
    fc.integer({ min: 50, max: 400 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth))),
  ];
  if (example && Object.keys(example).length > 0)
    arbitraries.push(
      fc.tuple(fc.constantFrom(...Object.keys(example)), value).map(([k, v]) => ({ ...example, [k]: v })),
    );
  return fc.oneof(...arbitraries);
}

/** Issue 10, suite 4: property-based bodies on every write endpoint never cause a 500 or a leak. */
describe('Fuzzing the write endpoints', () => {
  let t: TestApp;
  let routes: Route[];
  let callers: SignedCaller[];
  let world: World;
  let documented: OpenApiResponseValidator;
  beforeAll(async () => {
    t = await createTestApp();
    const document = (await request(t.server).get('/api/docs-json').expect(200)).body as OpenApiDocument;
    documented = new OpenApiResponseValidator(document);
    routes = (await loadRoutes(t)).filter((r) => r.hasJsonBody && ['POST', 'PATCH'].includes(r.method));
    callers = await signInEveryone(t);
    world = await buildWorld(t, callers);
  }, 120_000);
  afterAll(() => t?.close());

  it('answers every generated body without a 500, a leak or a body the OpenAPI document does not describe', async () => {
    const versionOf = await versionLookup(t);
    const failures: string[] = [];
    const undocumented = new Map<string, string>();
    const unauthenticated: string[] = [];
    let cases = 0;
    for (const [n, route] of routes.entries()) {
      const permission = ROUTE_PERMISSIONS[route.key];
      const target = ownWriteTarget(route, permission, callers, world, (roles) =>
        holds(roles, permission as Permission),
      );
      if (!target) unauthenticated.push(route.key);
      const url = target?.url ?? route.path;
      const ctx: ExampleContext = {
        ...world.context.KR,
        version: target?.recordId ? await versionOf(target.recordId) : 1,
      };
      const example = ROUTE_EXAMPLES[route.key]?.(ctx);
      // The valid example first, so every route's success answer is checked against the document too.
      const samples = [
        ...(example ? [example] : []),
        ...fc.sample(bodies(route, example), { numRuns: RUNS_PER_ENDPOINT, seed: SEED + n }),
      ];
      for (const body of samples) {
        const res = await send(t, route.method, url, target?.caller.http.tokens.accessToken, body);
        cases++;
        const leak = leaks(res.text ?? '');
        if (res.status >= 500 || leak)
          failures.push(
            `${route.key} → ${res.status}${leak ? ` (${leak})` : ''} for ${JSON.stringify(body).slice(0, 300)}`,
          );
        const mismatch = documented.problem({
          method: route.method,
          path: route.path,
          status: res.status,
          contentType: mediaTypeOf(res.headers['content-type']),
          text: res.text ?? '',
          body: res.body,
        });
        // One line per route and status is enough to find the view type to fix.
        if (mismatch) undocumented.set(`${route.key} → ${res.status}`, mismatch);
      }
    }
    console.log(
      `fuzzing: ${cases} cases over ${routes.length} write endpoints (${RUNS_PER_ENDPOINT} generated each after the route's valid example, seed ${SEED}), ` +
        `every response validated against the OpenAPI document; ` +
        `called without a token (public or no caller): ${unauthenticated.join(', ')}`,
    );
    expect(failures).toEqual([]);
    expect([...undocumented].map(([where, why]) => `${where}: ${why}`)).toEqual([]);
  }, 240_000);

  it('refuses a version beyond the integer column with 400 on every route whose body takes one', async () => {
    const wrong: string[] = [];
    let cases = 0;
    for (const route of routes.filter((r) => r.bodyProperties.includes('version'))) {
      const permission = ROUTE_PERMISSIONS[route.key];
      const target = ownWriteTarget(route, permission, callers, world, (roles) =>
        holds(roles, permission as Permission),
      );
      const example = ROUTE_EXAMPLES[route.key];
      if (!target || !example) continue;
      const body = { ...example({ ...world.context.KR, version: 1 }), version: 2 ** 31 };
      const res = await send(t, route.method, target.url, target.caller.http.tokens.accessToken, body);
      cases++;
      if (res.status !== 400) wrong.push(`${route.key} → ${res.status}`);
    }
    expect(cases).toBeGreaterThan(40);
    expect(wrong).toEqual([]);
  });
});
