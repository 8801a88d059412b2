import request from 'supertest';
import { createTestApp, TestApp } from '../support/test-app';
import { holds, ROUTE_PERMISSIONS } from './authorization-expectations';
import { ROUTE_EXAMPLES } from './route-examples';
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
} from './security-support';
import type { Permission } from '../../src/common/permissions/permissions';

/** `depth` levels of arrays around a string. */
const nested = (depth: number) => JSON.parse('['.repeat(depth) + '"x"' + ']'.repeat(depth)) as unknown;

/**
 * What a hostile partner puts in a field it finds inside an array or an object of a body (the write
 * fuzz mutates the top-level fields only): wrong JSON types, huge and odd numbers, control characters,
 * lone surrogates, text NFKC expands eighteen-fold, deep nesting.
 */
const HOSTILE_LEAVES: unknown[] = [
  null,
  12345,
  -1.5,
  1e308,
  2 ** 63,
  true,
  {},
  [],
  'a\u0000b',
  'bell\u0007',
  'x\ud800y',
  'ﷺ'.repeat(300),
  '9'.repeat(400),
  nested(40),
];

/** Every path below the top level of a JSON value: `['names', 0, 'full']`, … */
function nestedPaths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [];
  const children: Array<[string | number, unknown]> = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : value && typeof value === 'object'
      ? Object.entries(value)
      : [];
  for (const [key, child] of children) {
    const path = [...prefix, key];
    if (path.length > 1) out.push(path);
    out.push(...nestedPaths(child, path));
  }
  return out;
}

function replaced(value: unknown, path: Array<string | number>, leaf: unknown): unknown {
  if (!path.length) return leaf;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? replaced(v, rest, leaf) : v));
  const object = value as Record<string, unknown>;
  return { ...object, [head!]: replaced(object[head as string], rest, leaf) };
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
    if (!Array.isArray(errors) || !errors.length || errors.some((e) => typeof e.field !== 'string'))
      return 'validation failure without errors: [{ field, message }]';
  }
  return undefined;
}

/**
 * Probe (round 9): hostile values inside the nested parts of every body (a person's names, a batch's
 * entries, a finding's identifiers, …), and every hostile query value on every documented query
 * parameter, answer a 4xx problem body, never a 500.
 */
describe('Probe: hostile input inside nested bodies and on every query parameter', () => {
  let t: TestApp;
  let allRoutes: Route[];
  let callers: SignedCaller[];
  let world: World;
  let operations: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>;
  beforeAll(async () => {
    t = await createTestApp();
    const document = (await request(t.server).get('/api/docs-json').expect(200)).body;
    operations = document.paths;
    allRoutes = await loadRoutes(t);
    callers = await signInEveryone(t);
    world = await buildWorld(t, callers);
  }, 120_000);
  afterAll(() => t?.close());

  const targetOf = (route: Route) => {
    const permission = ROUTE_PERMISSIONS[route.key];
    return ownWriteTarget(route, permission, callers, world, (roles) =>
      holds(roles, permission as Permission),
    );
  };
  const isOwnSession = (route: Route) => route.path.startsWith('/api/v1/auth/');

  it('answers a hostile value anywhere inside a body with a 4xx problem, never a 500', async () => {
    const versionOf = await versionLookup(t);
    const failures: string[] = [];
    let cases = 0;
    const routes = allRoutes
      .filter((r) => r.hasJsonBody && ROUTE_EXAMPLES[r.key] && !isOwnSession(r))
      .sort((a, b) => a.key.localeCompare(b.key));
    for (const route of routes) {
      const target = targetOf(route);
      const token = target?.caller.http.tokens.accessToken;
      const url = target?.url ?? route.path;
      const version = target?.recordId ? await versionOf(target.recordId) : 1;
      const example = ROUTE_EXAMPLES[route.key]!({ ...world.context.KR, version });
      for (const path of nestedPaths(example))
        for (const leaf of HOSTILE_LEAVES) {
          const current =
            target?.recordId && 'version' in example ? await versionOf(target.recordId) : undefined;
          const body = replaced({ ...example, ...(current ? { version: current } : {}) }, path, leaf);
          const res = await send(t, route.method, url, token, body);
          cases++;
          const problem = unreadableProblem(res);
          if (res.status >= 500 || problem)
            failures.push(
              `${route.key} ${path.join('.')}=${JSON.stringify(leaf).slice(0, 40)} → ${res.status}${problem ? ` (${problem})` : ''}`,
            );
        }
    }
    console.log(`nested: ${cases} cases over ${routes.length} routes, ${failures.length} failures`);
    expect(failures).toEqual([]);
    expect(cases).toBeGreaterThan(routes.length);
  }, 400_000);

  it('answers every hostile value on every documented query parameter with a 4xx problem or a 2xx', async () => {
    const values = [
      '%00',
      '%01',
      '%ED%A0%80',
      encodeURIComponent('ﷺ'.repeat(300)),
      '1e400',
      '-1',
      '0',
      '1.5',
      '9'.repeat(40),
      '%7B%7D',
      'true',
      'x'.repeat(3000),
    ];
    const failures: string[] = [];
    let cases = 0;
    const routes = allRoutes.filter((r) => r.method === 'GET');
    for (const route of routes) {
      const target = targetOf(route);
      const token = target?.caller.http.tokens.accessToken;
      const url = target?.url ?? route.path;
      const operation = operations[route.path]?.get;
      const names = (operation?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      for (const name of names)
        for (const value of [...values, `x&${name}=y`]) {
          const res = await send(t, 'GET', `${url}?${name}=${value}`, token);
          cases++;
          const problem = unreadableProblem(res);
          if (res.status >= 500 || problem)
            failures.push(
              `${route.key} ?${name}=${value.slice(0, 40)} → ${res.status}${problem ? ` (${problem})` : ''}`,
            );
        }
    }
    console.log(`query: ${cases} cases over ${routes.length} routes, ${failures.length} failures`);
    expect(failures).toEqual([]);
  }, 300_000);
});
