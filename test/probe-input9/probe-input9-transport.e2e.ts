import request from 'supertest';
import { createTestApp, TestApp } from '../support/test-app';
import { holds, ROUTE_PERMISSIONS } from '../security/authorization-expectations';
import { ROUTE_EXAMPLES } from '../security/route-examples';
import {
  buildWorld,
  describeChange,
  fillPath,
  kindOf,
  loadRoutes,
  ownWriteTarget,
  Route,
  SignedCaller,
  signInEveryone,
  snapshotter,
  World,
} from '../security/security-support';
import { refusalFault } from '../probe-input4/probe-input4-support';
import type { Permission } from '../../src/common/permissions/permissions';

/**
 * Audit events a refusal writes by design, left out of "a refusal writes nothing": refused record access
 * (`access.denied`), a wrong password or code (`auth.login.failed`, `auth.mfa.enable.failed`…, in a
 * transaction of their own so they survive the refusal) and the lockout they may lead to.
 */
const AUDITED_REFUSALS_LEFT_OUT = `WHERE action <> 'access.denied' AND action NOT LIKE '%.failed' AND action <> 'auth.lockout'`;
/** mulberry32: the same picks on every run, so a failure names the same request. */
function seeded(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Probe (input round 9): the transport oddities earlier rounds did not send to every route, and every
 * role. Content types the custom parsers (JSON, the octet-stream uploads, the CSV import) may read
 * differently: multipart without a boundary, a charset on an upload or on CSV, a type with an empty or
 * repeated parameter, none at all; headers no route reads but a framework might (`Accept-Language` of
 * 12 KB or of nonsense, `Accept-Charset: utf-16`, `Accept: application/xml`), and the `Idempotency-Key`
 * on routes that are not idempotent. Then each route by two roles picked at random (seeded) from all
 * sixteen demo callers of KR, KH, MY and the platform, with a hostile body: whoever is refused, nothing
 * is written (business tables, notifications, idempotency keys, the audit trail but for the refusals
 * that are audited by design, `access.denied`).
 */
describe('Probe: odd content types and headers on every route, hostile bodies by every role', () => {
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
    let req = request(t.server)[route.method.toLowerCase() as 'post'](url);
    if (token) req = req.set('Authorization', `Bearer ${token}`);
    return req;
  };
  const watchWrites = async () => {
    const business = await snapshotter(t);
    const count = async (sql: string) => ((await t.dataSource.query(sql)) as { n: number }[])[0]!.n;
    return async () =>
      [
        await business(),
        `notification:${await count('SELECT count(*)::int AS n FROM notification')}`,
        `idempotency_key:${await count('SELECT count(*)::int AS n FROM idempotency_key')}`,
        `audit:${await count(`SELECT count(*)::int AS n FROM audit_event ${AUDITED_REFUSALS_LEFT_OUT}`)}`,
      ].join('|');
  };
  const fault = (what: string, res: request.Response, ms: number) => [
    ...(ms > 2000 ? [`${what} took ${ms} ms`] : []),
    ...(res.status >= 500 || (res.status >= 400 && refusalFault(res).length > 0)
      ? [`${what} → ${res.status} ${JSON.stringify(refusalFault(res))} ${res.text.slice(0, 160)}`]
      : []),
  ];

  it('content types the parsers may misread, on every write route with its example body: the normal answer or a 4xx problem', async () => {
    const TYPES: (string | undefined)[] = [
      'multipart/form-data',
      'multipart/form-data; boundary=',
      'application/json; charset=utf-16',
      'application/json; charset',
      'application/octet-stream; charset=utf-16',
      'text/csv; charset=utf-16le',
      'text/csv; header=present',
      undefined,
    ];
    const wrong: string[] = [];
    let sent = 0;
    for (const route of all.filter((r) => r.method !== 'GET')) {
      const { token, url } = targetOf(route);
      const example = JSON.stringify(
        ROUTE_EXAMPLES[route.key]?.({ ...world.context.KR, version: 1 }) ?? { note: 'x' },
      );
      for (const type of TYPES) {
        let req = call(route, url, token);
        if (type !== undefined) req = req.set('Content-Type', type);
        // No Content-Type: send bytes supertest does not label (a Buffer would be octet-stream).
        const started = Date.now();
        const res = await (type === undefined ? req.unset('Content-Type').send(example) : req.send(example));
        sent++;
        wrong.push(...fault(`${route.key} [${type ?? 'none'}]`, res, Date.now() - started));
      }
    }
    expect(sent).toBeGreaterThan(500);
    expect(wrong).toEqual([]);
  }, 120_000);

  it('headers no route reads (Accept-Language, Accept-Charset, Accept) and an Idempotency-Key where none is read: the normal answer or a 4xx problem', async () => {
    const HEADERS: Record<string, string>[] = [
      { 'Accept-Language': `${'x-'.repeat(6000)}x` },
      { 'Accept-Language': '*;q=NaN, ko-KR;q=1e400, __proto__;q=-0, ,;' },
      { 'Accept-Charset': 'utf-16' },
      { Accept: 'application/xml' },
      { Accept: '*/*;q=0' },
      { 'Idempotency-Key': 'probe-input9-key-1' },
    ];
    const wrong: string[] = [];
    for (const route of all) {
      const { token, url } = targetOf(route);
      for (const headers of HEADERS) {
        let req = call(route, url, token);
        for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
        if (route.method !== 'GET') req = req.set('Content-Type', 'application/json').send('{}');
        const started = Date.now();
        const res = await req;
        wrong.push(
          ...fault(`${route.key} ${JSON.stringify(headers).slice(0, 50)}`, res, Date.now() - started),
        );
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('hostile bodies and queries on every route by two roles of any country picked at random (seeded): a 4xx problem or the normal answer, and a refusal writes nothing', async () => {
    const random = seeded(20261207);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const BODIES = [
      '{"version":9223372036854775808}',
      '{"title":["x"],"name":{"full":true}}',
      `{"note":${JSON.stringify('\ufdfa'.repeat(2000))}}`,
      '{"a":1,"a":2}',
      '{"constructor":{"prototype":{"polluted":1}}}',
      '[{"__proto__":{"polluted":1}}]',
    ];
    const QUERIES = ['', '?limit=1e400', '?cursor[]=x', '?q=%F0%9F', '?status=__proto__'];
    const watch = await watchWrites();
    let state = await watch();
    const wrong: string[] = [];
    let sent = 0;
    for (const route of all) {
      const kind = kindOf(route.path);
      for (let i = 0; i < 2; i++) {
        const caller = pick(callers);
        // Someone's record of the route's kind, of any country: the caller's own or another's.
        const record = kind ? pick(world.records.filter((r) => r.kind === kind)) : undefined;
        const url = record ? fillPath(route.path, record.id, pick(['KR', 'KH', 'MY'])) : route.path;
        let req = call(route, `${url}${pick(QUERIES)}`, caller.http.tokens.accessToken);
        const body = pick(BODIES);
        if (route.method !== 'GET') req = req.set('Content-Type', 'application/json').send(body);
        const started = Date.now();
        const res = await req;
        sent++;
        const what = `${caller.username} ${route.key} ${body.slice(0, 30)}`;
        wrong.push(...fault(what, res, Date.now() - started));
        const now = await watch();
        if (res.status >= 400 && now !== state)
          wrong.push(`${what} → ${res.status} but wrote ${describeChange(state, now)}`);
        state = now;
      }
    }
    expect(sent).toBeGreaterThan(300);
    expect(wrong).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 120_000);
});
