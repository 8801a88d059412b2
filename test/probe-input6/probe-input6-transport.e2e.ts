import request from 'supertest';
import { createTestApp, TestApp } from '../support/test-app';
import { holds, ROUTE_PERMISSIONS } from '../security/authorization-expectations';
import {
  buildWorld,
  declaredQueryNames,
  loadRoutes,
  ownWriteTarget,
  Route,
  SignedCaller,
  signInEveryone,
  snapshotter,
  World,
} from '../security/security-support';
import { count, refusalFault } from '../probe-input4/probe-input4-support';
import type { Permission } from '../../src/common/permissions/permissions';

/**
 * Probe (input round 6): query values, headers and whole bodies on every route of the OpenAPI document,
 * by a caller the route lets in, on that caller's own records (test/security's world), with the values
 * earlier rounds' generators lacked: dates PostgreSQL and JavaScript read differently (year 0000,
 * +275760, a leap second, 24:00, +14:00 on year 1, seven decimals), numbers as JavaScript and
 * PostgreSQL disagree on them (0x10, Infinity, 2^31, 2^53+1), empty and value-less parameters, the
 * conditional and method-override headers the API does not read, charset parameters given twice or
 * cut, and bodies nested 10,000 deep, multipart, form-encoded and XML on every write route (earlier
 * rounds sent those to one route per schema, or to `/cases` only). Nothing found; kept so that a new
 * route, parameter or header read that answers a 500, or a refusal without its problem body, fails.
 */
describe('Probe: query values, headers and bodies on every route', () => {
  let t: TestApp;
  let all: Route[];
  let callers: SignedCaller[];
  let world: World;
  beforeAll(async () => {
    t = await createTestApp();
    all = await loadRoutes(t);
    callers = await signInEveryone(t);
    world = await buildWorld(t, callers);
  }, 60_000);
  afterAll(() => t?.close());

  const targetOf = (route: Route) => {
    const permission = ROUTE_PERMISSIONS[route.key];
    const target = ownWriteTarget(route, permission as string, callers, world, (roles) =>
      holds(roles, permission as Permission),
    );
    return { token: target?.caller.http.tokens.accessToken, url: target?.url ?? route.path };
  };
  const call = (route: Route, url: string, token: string | undefined) => {
    let req = request(t.server)[route.method.toLowerCase() as 'get'](url);
    if (token) req = req.set('Authorization', `Bearer ${token}`);
    return req;
  };
  /** A 500, a 4xx without its problem body, or an answer slower than 2 s: one line each. */
  const wrongIn = (what: string, res: request.Response, ms: number, refusedOnly = false) => [
    ...(ms > 2000 ? [`${what} took ${ms} ms`] : []),
    ...((refusedOnly || res.status >= 400) && refusalFault(res).length > 0
      ? [`${what} → ${res.status} ${JSON.stringify(refusalFault(res))} ${res.text.slice(0, 160)}`]
      : []),
  ];
  /**
   * Business tables, idempotency keys and the audit trail, but for `access.denied`: a refused upload
   * to a record the caller may not write is audited by design, whatever its body.
   */
  const watchWrites = async () => {
    const business = await snapshotter(t);
    return async () =>
      `${await business()}|idempotency_key:${await count(t, 'idempotency_key')}|audit:${
        (
          await t.dataSource.query(
            `SELECT count(*)::int AS n FROM audit_event WHERE action <> 'access.denied'`,
          )
        )[0].n
      }`;
  };

  it('dates, numbers and repeats in every declared query parameter: a page or a 4xx problem', async () => {
    const names = await declaredQueryNames(t);
    const VALUES = [
      '0000-00-00',
      '275760-09-13',
      '%2B275760-09-13T00:00:00Z',
      '-000001-01-01T00:00:00Z',
      '0001-01-01T00:00:00%2B14:00',
      '9999-12-31T23:59:59-14:00',
      '2026-12-31T23:59:60Z',
      '2026-03-01T24:00Z',
      '2026-02-30',
      '2026-03-01T10:00:00.1234567Z',
      '1e400',
      '-0',
      '2147483648',
      '9007199254740993',
      '0x10',
      'Infinity',
      '%EF%B7%BD'.repeat(300),
    ];
    const wrong: string[] = [];
    let sent = 0;
    // Each parameter name on up to three routes (limit and cursor are on thirty).
    const tried = new Map<string, number>();
    for (const route of all) {
      const { token, url } = targetOf(route);
      for (const name of names.get(route.key) ?? []) {
        tried.set(name, (tried.get(name) ?? 0) + 1);
        if (tried.get(name)! > 3) continue;
        for (const query of [
          ...VALUES.map((v) => `${name}=${v}`),
          `${name}=1&${name}=2`,
          `${name}=&${name}=`,
          name,
        ]) {
          let req = call(route, `${url}?${query}`, token);
          if (route.method !== 'GET') req = req.set('Content-Type', 'application/json').send('{}');
          const started = Date.now();
          const res = await req;
          sent++;
          wrong.push(...wrongIn(`${route.key} ?${query.slice(0, 40)}`, res, Date.now() - started));
        }
      }
    }
    expect(sent).toBeGreaterThan(500);
    expect(wrong).toEqual([]);
  });

  it('conditional, override and oddly typed headers on every route: the normal answer or a 4xx problem', async () => {
    const HEADERS: Record<string, string>[] = [
      { 'If-Match': 'W/"99999999999999999999"' },
      { 'If-None-Match': '*' },
      { 'If-Modified-Since': '0000-00-00' },
      { 'If-Unmodified-Since': 'Thu, 31 Dec 2026 23:59:60 GMT' },
      { Range: `bytes=${'9'.repeat(400)}-` },
      { 'Idempotency-Key': '__proto__' },
      { 'X-HTTP-Method-Override': 'DELETE' },
      { 'X-Request-Id': '../../etc/passwd' },
      { 'User-Agent': '\u00ff'.repeat(8000) },
      { 'Content-Type': 'application/json; charset=utf-8; charset=latin1' },
      { 'Content-Type': 'application/json; charset="' },
    ];
    const wrong: string[] = [];
    for (const route of all) {
      const { token, url } = targetOf(route);
      for (const headers of HEADERS) {
        let req = call(route, url, token);
        for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
        if (route.method !== 'GET')
          req = req.set('Content-Type', headers['Content-Type'] ?? 'application/json').send('{}');
        const started = Date.now();
        const res = await req;
        wrong.push(
          ...wrongIn(`${route.key} ${JSON.stringify(headers).slice(0, 60)}`, res, Date.now() - started),
        );
      }
    }
    expect(wrong).toEqual([]);
  });

  it('bodies nested 10,000 deep, scalars, prototype names, multipart, form and XML on every write route: a 4xx problem, nothing written', async () => {
    const watch = await watchWrites();
    const before = await watch();
    const multipart = '--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nA\r\n--x--\r\n';
    const BODIES: [string, string][] = [
      ['application/json', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`],
      ['application/json', `${'['.repeat(10_000)}${']'.repeat(10_000)}`],
      ['application/json', `{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`],
      ['application/json', '1e400'],
      ['application/json', '-0'],
      ['application/json', '{"__proto__":{"x":1}}'],
      ['application/json', '{"constructor":{"prototype":{"x":1}}}'],
      ['application/json', '"\\u0000"'],
      ['application/json', JSON.stringify(Array(3000).fill(0))],
      ['application/json', ''],
      ['multipart/form-data; boundary=x', multipart],
      ['application/x-www-form-urlencoded', 'title=A&version=1'],
      ['text/csv', 'a,b\n1,2\n'],
      ['application/xml', '<a/>'],
    ];
    const wrong: string[] = [];
    let sent = 0;
    for (const route of all.filter((r) => r.method !== 'GET')) {
      const { token, url } = targetOf(route);
      for (const [type, body] of BODIES) {
        // The CSV import takes text/csv: its refusals are test/probe-input's and input round 3's.
        if (type === 'text/csv' && route.path.endsWith('/arrests/import')) continue;
        const started = Date.now();
        const res = await call(route, url, token).set('Content-Type', type).send(body);
        sent++;
        wrong.push(
          ...wrongIn(
            `${route.key} ${type.split(';')[0]} ${body.slice(0, 24)}`,
            res,
            Date.now() - started,
            true,
          ),
        );
      }
    }
    expect(sent).toBeGreaterThan(1000);
    expect(wrong).toEqual([]);
    expect(await watch()).toBe(before);
  });
});
