import fc from 'fast-check';
import { PATH_METADATA } from '@nestjs/common/constants';
import request from 'supertest';
import { mediaTypeOf, OpenApiDocument, OpenApiResponseValidator } from '../support/openapi-responses';
import { createTestApp, TestApp } from '../support/test-app';
import { holds, ROUTE_PERMISSIONS } from './authorization-expectations';
import { ExampleContext, RAW_BODY_EXAMPLES, ROUTE_EXAMPLES } from './route-examples';
import {
  buildWorld,
  controllerMethodsOf,
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
import type { Permission } from '../../src/common/permissions/permissions';

const RUNS_PER_ENDPOINT = 30;
const SEED = 20261122;

/**
 * Strings that must never reach PostgreSQL or the matcher as they are: NUL and other C0 controls, lone
 * surrogates, and text that NFKC expands many times over (`ﷺ` is eighteen letters).
 */
const hostileString = fc.oneof(
  fc
    .tuple(fc.string({ maxLength: 20 }), fc.integer({ min: 0, max: 0x1f }), fc.string({ maxLength: 20 }))
    .filter(([, c]) => c !== 0x09 && c !== 0x0a && c !== 0x0d)
    .map(([a, c, b]) => `${a}${String.fromCharCode(c)}${b}`),
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\u001b[31m', '\u0008'),
  fc.integer({ min: 60, max: 400 }).map((n) => 'ﷺ'.repeat(n)),
  fc.integer({ min: 60, max: 400 }).map((n) => '㍿'.repeat(n)),
);

/** `depth` levels of arrays around a string: class-transformer recursed once per level. */
const nested = (depth: number) => JSON.parse('['.repeat(depth) + '"x"' + ']'.repeat(depth)) as unknown;

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
      'x'.repeat(5000),
    ),
    hostileString,
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
    fc.integer({ min: 50, max: 2500 }).map(nested),
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
  let allRoutes: Route[];
  let operations: Operations;
  beforeAll(async () => {
    t = await createTestApp();
    const document = (await request(t.server).get('/api/docs-json').expect(200)).body as OpenApiDocument;
    documented = new OpenApiResponseValidator(document);
    operations = (document as unknown as { paths: Operations }).paths;
    allRoutes = await loadRoutes(t);
    routes = allRoutes.filter((r) => r.hasJsonBody && ['POST', 'PUT', 'PATCH'].includes(r.method));
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

  it('answers hostile input on every route of the OpenAPI document with a 4xx problem body, never a 500', async () => {
    const ordered = [...allRoutes].sort((a, b) => Number(isOwnSession(a)) - Number(isOwnSession(b)));
    const unexampled = ordered.filter((r) => {
      const content = operations[r.path]?.[r.method.toLowerCase()]?.requestBody?.content ?? {};
      return (
        (r.hasJsonBody && !ROUTE_EXAMPLES[r.key]) ||
        Object.keys(content).some((type) => type !== 'application/json' && !RAW_BODY_EXAMPLES[r.key])
      );
    });
    // A new route must come with an example, or it would be fuzzed with nothing but noise (or not at all).
    expect(unexampled.map((r) => r.key)).toEqual([]);
    // And no handler of the app may be left out of the document this suite walks.
    const documentedHandlers = new Set(allRoutes.map((r) => r.operationId.replace(/_v\d+$/, '')));
    const undocumented = routeHandlersOf(t).filter(
      (handler) => !documentedHandlers.has(handler) && !OUTSIDE_THE_API.includes(handler),
    );
    expect(undocumented).toEqual([]);

    const versionOf = await versionLookup(t);
    const failures: string[] = [];
    let cases = 0;
    const judge = (res: request.Response, what: string) => {
      cases++;
      const problem = unreadableProblem(res);
      if (res.status >= 500 || problem)
        failures.push(`${what} → ${res.status}${problem ? ` (${problem})` : ''}`.slice(0, 400));
    };
    for (const [n, route] of ordered.entries()) {
      const permission = ROUTE_PERMISSIONS[route.key];
      const target = ownWriteTarget(route, permission, callers, world, (roles) =>
        holds(roles, permission as Permission),
      );
      const token = target?.caller.http.tokens.accessToken;
      const url = target?.url ?? route.path;
      const operation = operations[route.path]![route.method.toLowerCase()]!;
      const queryNames = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      const pathNames = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      const rng = seeded(SEED + n);

      // Query strings: every documented parameter gets hostile values; every route gets an unknown one.
      for (const name of queryNames)
        for (const value of pick(rng, HOSTILE_QUERY_VALUES(name), 4))
          judge(
            await send(t, route.method, `${url}?${name}=${value}`, token),
            `${route.key} ?${name}=${value}`,
          );
      for (const value of pick(rng, CONTROL_QUERY_VALUES, 2))
        judge(await send(t, route.method, `${url}?x=${value}`, token), `${route.key} ?x=${value}`);

      // Path parameters that are not what the route expects.
      for (const name of pathNames)
        for (const value of pick(rng, HOSTILE_PATH_VALUES, 2)) {
          const bad = url.replace(pathValueOf(route.path, url, name), value);
          judge(await send(t, route.method, bad, token), `${route.key} {${name}}=${value}`);
        }

      // Bodies: the valid example with one field made wrong (a wrong JSON type, a control character,
      // an unpaired surrogate, deep nesting; NFKC-expanding text on names).
      // The record's current version, so a wrong field is judged by the service too, not only a 409.
      const version = target?.recordId ? await versionOf(target.recordId) : 1;
      const example = ROUTE_EXAMPLES[route.key]?.({ ...world.context.KR, version }) as
        Record<string, unknown> | undefined;
      if (route.hasJsonBody && example) {
        const fields = [...new Set([...Object.keys(example), ...route.bodyProperties])];
        for (const field of fields)
          // null and a number on every field (an optional field let null through to a NOT NULL
          // column), then two more picked by the seed.
          for (const value of [null, 12345, ...pick(rng, wrongValuesFor(field, example[field]), 2)]) {
            // A case that got through bumped the version: read it again for each.
            const current =
              target?.recordId && 'version' in example ? await versionOf(target.recordId) : undefined;
            const body = { ...example, ...(current ? { version: current } : {}), [field]: value };
            judge(
              await send(t, route.method, url, token, body),
              `${route.key} ${field}=${JSON.stringify(value)?.slice(0, 60)}`,
            );
          }
      }
      const raw = RAW_BODY_EXAMPLES[route.key];
      if (raw)
        for (const body of raw.hostile) {
          const res = await request(t.server)
            [route.method.toLowerCase() as 'post'](url)
            .set('Authorization', `Bearer ${token}`)
            .set('Content-Type', raw.contentType)
            .set(raw.headers ?? {})
            .send(Buffer.from(body, 'utf8'));
          judge(res, `${route.key} ${raw.contentType} ${JSON.stringify(body).slice(0, 80)}`);
        }
    }
    console.log(
      `fuzz: ${cases} cases over ${ordered.length} routes, ${failures.length} × 500 or unreadable 4xx`,
    );
    expect(failures).toEqual([]);
    expect(cases).toBeGreaterThan(ordered.length * 3);
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

/** `Controller_method` of every route handler Nest has (methods with a route path), mixins included. */
function routeHandlersOf(t: TestApp): string[] {
  const handlers = controllerMethodsOf(t).filter(
    ({ handler }) => Reflect.getMetadata(PATH_METADATA, handler) !== undefined,
  );
  return [...new Set(handlers.map(({ key }) => key))];
}

/** Handlers outside the versioned API (probes for the orchestrator), fuzzed by nobody on purpose. */
const OUTSIDE_THE_API: string[] = [];

type Operations = Record<
  string,
  Record<
    string,
    {
      parameters?: Array<{ name: string; in: string }>;
      requestBody?: { content?: Record<string, unknown> };
    }
  >
>;

/** Routes that end or change the caller's own session go last, so nothing after them is signed out. */
const isOwnSession = (route: Route) => route.path.startsWith('/api/v1/auth/');

/** A small deterministic generator (mulberry32): the same cases on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rng: () => number, from: readonly T[], count: number): T[] {
  const pool = [...from];
  const out: T[] = [];
  while (out.length < count && pool.length) out.push(pool.splice(Math.floor(rng() * pool.length), 1)[0]!);
  return out;
}

const b64 = (s: string) => Buffer.from(s).toString('base64url');

/** Query values, already URL-encoded. Every one of them holds something no route may accept as it is. */
const CONTROL_QUERY_VALUES = ['%00', 'a%00b', '%01', '%1B%5B31m', '%ED%A0%80', 'x%08y', '%7F%00'];
const HOSTILE_QUERY_VALUES = (name: string): string[] =>
  name === 'cursor'
    ? [
        'not-a-cursor!!',
        b64('{"at":"2026-01-01T00:00:00.000Z","id":"not-a-uuid"}'),
        b64('{"at":"99999-01-01","id":"7a1c6e53-3c1d-4f52-9d43-1b2b3c4d5e6f"}'),
        b64('[]'),
        b64('{"o":"x","unread":7,"at":1,"id":null}'),
        '%00',
        'x'.repeat(600),
      ]
    : [
        ...CONTROL_QUERY_VALUES,
        encodeURIComponent('ﷺ'.repeat(300)),
        encodeURIComponent('㍿'.repeat(100)),
        '1e400',
        '-1',
        '9'.repeat(40),
        `${name}[]=x&${name}=y`,
        'x'.repeat(5000),
      ];

const HOSTILE_PATH_VALUES = [
  'not-a-uuid',
  '%00',
  '7a1c6e53-3c1d-4f52-9d43-1b2b3c4d5e6f%00',
  '..%2F..%2Fetc',
  '%ED%A0%80',
];

/** The value filling `{name}` in `url` (filled from `template`). */
function pathValueOf(template: string, url: string, name: string): string {
  const t = template.split('/');
  const u = url.split('/');
  return u[t.indexOf(`{${name}}`)] ?? '';
}

const NAME_LIKE = /^(full|given|family|name|displayName|subject|title|q)$/;

/** Values of the wrong JSON type for a field, or strings that cannot be stored. */
function wrongValuesFor(field: string, current: unknown): unknown[] {
  const values: unknown[] = [
    -1.5,
    true,
    {},
    [],
    ['x', 1],
    { $ne: null },
    'a\u0000b',
    'bell\u0007',
    'x\ud800y',
    nested(2000),
  ];
  if (typeof current === 'string') values.push(current + '\u0000');
  if (Array.isArray(current)) values.push([...current, '\u0000'], [current]);
  if (current && typeof current === 'object' && !Array.isArray(current))
    values.push({ ...current, extra: '\u0001' }, [current]);
  if (NAME_LIKE.test(field)) values.push('ﷺ'.repeat(300));
  return values;
}

/** Why a 4xx body is not a problem a client can act on, or undefined when it is one. */
function unreadableProblem(res: request.Response): string | undefined {
  if (res.status < 400 || res.status >= 500) return undefined;
  if (!/^application\/problem\+json/.test(String(res.headers['content-type'])))
    return `content-type ${String(res.headers['content-type'])}`;
  const body = res.body as { type?: unknown; title?: unknown; status?: unknown; errors?: unknown };
  if (typeof body.type !== 'string' || typeof body.title !== 'string' || body.status !== res.status)
    return 'not a problem body';
  if (body.type === 'urn:case-desk:problem:validation-failed') {
    const errors = body.errors as Array<{ field?: unknown; message?: unknown }> | undefined;
    if (
      !Array.isArray(errors) ||
      !errors.length ||
      errors.some((e) => typeof e.field !== 'string' || typeof e.message !== 'string')
    )
      return 'validation failure without errors: [{ field, message }]';
  }
  return undefined;
}
