import request from 'supertest';
import { createTestApp, TestApp } from '../support/test-app';
import { holds, ROUTE_PERMISSIONS } from '../security/authorization-expectations';
import { ROUTE_EXAMPLES } from '../security/route-examples';
import {
  buildWorld,
  declaredQueryNames,
  describeChange,
  loadRoutes,
  ownWriteTarget,
  Route,
  SignedCaller,
  signInEveryone,
  snapshotter,
  versionLookup,
  World,
} from '../security/security-support';
import { refusalFault } from '../probe-input4/probe-input4-support';
import type { Permission } from '../../src/common/permissions/permissions';

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  allOf?: Schema[];
  maxLength?: number;
};

/**
 * Audit events a refusal writes by design, left out of "a refusal writes nothing": refused record access
 * (`access.denied`), a wrong password or code (`auth.login.failed`, `auth.mfa.enable.failed`…, in a
 * transaction of their own so they survive the refusal) and the lockout they may lead to.
 */
const AUDITED_REFUSALS_LEFT_OUT = `WHERE action <> 'access.denied' AND action NOT LIKE '%.failed' AND action <> 'auth.lockout'`;
/**
 * Probe (input round 9): the values rounds 1–8's generators did not produce, in every field of every
 * request schema and every declared query parameter, by a caller the route lets in, on that caller's
 * own record: text exactly at each field's declared `maxLength` made of characters that grow when
 * upper-cased, lower-cased or NFKC-normalised (ΐ, ß, İ, ﬃ), wrong JSON types (a list of one string, a
 * boolean, null), integers past 2^63 and with 30 digits, `1e-400`, numbers written as strings (`NaN`),
 * ISO 8601 shapes JavaScript cannot read (`2026-W01-1`, `20260101`, a comma fraction); in queries the
 * bracket forms (`a[]=`, `a[b]=`, `a[__proto__]=`) and LIKE metacharacters. Every answer is the normal
 * one or a 4xx problem, none slower than 2 s, and a refusal writes nothing (business tables, audit).
 */
describe('Probe: round 9 generators in every field and query parameter', () => {
  let t: TestApp;
  let all: Route[];
  let callers: SignedCaller[];
  let world: World;
  let doc: {
    paths: Record<
      string,
      Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>
    >;
    components: { schemas: Record<string, Schema> };
  };
  beforeAll(async () => {
    t = await createTestApp();
    all = await loadRoutes(t);
    doc = (await request(t.server).get('/api/docs-json').expect(200)).body;
    callers = await signInEveryone(t);
    world = await buildWorld(t, callers);
  }, 60_000);
  afterAll(() => t?.close());

  const resolve = (s: Schema | undefined): Schema | undefined => {
    if (!s) return s;
    if (s.$ref) return resolve(doc.components.schemas[s.$ref.split('/').pop()!]);
    if (s.allOf?.length === 1) return resolve(s.allOf[0]);
    return s;
  };
  const swept = new Set<string>();
  /** Every property path (lists entered at [0]) to depth 4; a nested schema entered where it first appears. */
  const fieldsOf = (
    s: Schema | undefined,
    at: (string | number)[] = [],
    depth = 0,
  ): { at: (string | number)[]; schema: Schema }[] => {
    const r = resolve(s);
    if (!r || depth > 4) return [];
    const out: { at: (string | number)[]; schema: Schema }[] = [];
    const enter = (nested: Schema | undefined, path: (string | number)[]) => {
      const ref = (nested?.$ref ?? nested?.allOf?.[0]?.$ref)?.split('/').pop();
      if (ref && swept.has(ref)) return;
      if (ref) swept.add(ref);
      out.push(...fieldsOf(nested, path, depth + 1));
    };
    for (const [name, p] of Object.entries(r.properties ?? {})) {
      const ps = resolve(p) ?? {};
      out.push({ at: [...at, name], schema: ps });
      if (ps.type === 'array') {
        const item = resolve(ps.items);
        out.push({ at: [...at, name, 0], schema: item ?? {} });
        if (item?.properties) enter(ps.items, [...at, name, 0]);
      } else if (ps.properties) enter(p, [...at, name]);
    }
    return out;
  };

  /**
   * Seeded (mulberry32), so a failure names the same request on every run. `hangul`: `n` syllables drawn
   * at random, 3 UTF-8 bytes each and incompressible, so PostgreSQL cannot shrink an index entry of them.
   */
  const seeded = (seed: number) => {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let x = Math.imul(a ^ (a >>> 15), 1 | a);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
  };
  const picks = seeded(20261207);
  /** `n` of `xs`, drawn without repeats by the seeded generator. */
  const pick = <T>(n: number, xs: T[]) => {
    const left = [...xs];
    return Array.from({ length: n }, () => left.splice(Math.floor(picks() * left.length), 1)[0]!);
  };
  const hangul = (n: number, seed = 9) => {
    const next = seeded(seed);
    let out = '';
    for (let i = 0; i < n; i++) out += String.fromCharCode(0xac00 + Math.floor(next() * 11172));
    return out;
  };
  /** What each kind of field is sent; text at its own declared length. */
  const valuesFor = (s: Schema, name: string): string[] => {
    // A list where a scalar is, and a number where anything else is (`true`, `{}` and `1e400` are rounds 5–6's).
    const common = ['["x"]', '123456789012345678901234567890'];
    if (s.type === 'string' || s.enum) {
      const n = Math.min(s.maxLength ?? 5000, 5000);
      // Dates only where a date is read (`arrestedAt`, `expiresOn`, `validFrom`, `documents[0].expires`…).
      const dated = s.format?.startsWith('date') || /(At|On|From|To|expires|Date)$/.test(name);
      return [
        ...common,
        // Two of these eight at each field, and two of the six dates (seeded): about 1,800 requests.
        ...pick(2, [
          ...['\u0390', 'ß', '\u0130', '\ufb03', '\ufdfa', ' '].map((c) => JSON.stringify(c.repeat(n))),
          JSON.stringify(hangul(n)),
          '"\\u2028\\ufeff"',
        ]),
        ...(dated
          ? pick(2, [
              '"2026-W01-1"',
              '"20260101"',
              '"2026-03-01T10:00:00,5Z"',
              '"2028-02-29T24:00:00Z"',
              '"2026-03-01T10:00:00+15:00"',
              '"10000-01-01"',
            ])
          : []),
      ];
    }
    if (s.type === 'integer' || s.type === 'number')
      return [
        ...common,
        ...pick(3, ['9223372036854775808', '-9223372036854775809', '1e-400', '1.5', '"NaN"']),
      ];
    if (s.type === 'array') return [...common, '[{}]', '["x","x"]'];
    return [...common, 'null', '{"a":{"b":{"c":1}}}'];
  };
  const put = (body: object, at: (string | number)[], json: string) => {
    const copy = JSON.parse(JSON.stringify(body)) as Record<string | number, unknown>;
    let node: Record<string | number, unknown> = copy;
    for (let i = 0; i < at.length - 1; i++) {
      const key = at[i]!;
      if (node[key] === undefined || node[key] === null || typeof node[key] !== 'object')
        node[key] = typeof at[i + 1] === 'number' ? [] : {};
      node = node[key] as Record<string | number, unknown>;
    }
    node[at.at(-1)!] = '\u0000PLACE\u0000';
    return JSON.stringify(copy).replace('"\\u0000PLACE\\u0000"', json);
  };
  const targetOf = (route: Route) => {
    const permission = ROUTE_PERMISSIONS[route.key];
    return ownWriteTarget(route, permission as string, callers, world, (roles) =>
      holds(roles, permission as Permission),
    );
  };
  /** Business tables and the audit trail, but for `access.denied` (refused file reads are audited). */
  // The audit count is taken in the business tables' statement: one query around each request, not two.
  const watchWrites = () => snapshotter(t, { audit: `audit_event ${AUDITED_REFUSALS_LEFT_OUT}` });

  it('expanders at each field’s maxLength, wrong JSON types, big integers and unreadable dates in every field: the normal answer or a 4xx problem, a refusal writes nothing', async () => {
    const versionOf = await versionLookup(t);
    const watch = await watchWrites();
    const wrong: string[] = [];
    let sent = 0;
    const seen = new Set<string>();
    let state = await watch();
    for (const route of all.filter((r) => r.hasJsonBody)) {
      const schema =
        doc.paths[route.path]![route.method.toLowerCase()]!.requestBody!.content!['application/json']!.schema;
      if (!schema?.$ref || seen.has(schema.$ref)) continue;
      seen.add(schema.$ref);
      // A batch's items are checked one by one outside the global pipe (the raid's `ArrestBatch.add`):
      // their fields are swept again there, although the single create swept the same schema.
      if (route.path.endsWith('/batch')) swept.clear();
      const target = targetOf(route);
      const token = target?.caller.http.tokens.accessToken;
      const url = target?.url ?? route.path;
      const currentVersion = async () => (target?.recordId ? await versionOf(target.recordId) : 1);
      let version = await currentVersion();
      for (const { at, schema: field } of fieldsOf(schema))
        for (const json of valuesFor(field, String(at.filter((x) => typeof x === 'string').at(-1)))) {
          const example = ROUTE_EXAMPLES[route.key]?.({ ...world.context.KR, version }) ?? {};
          let req = request(t.server)
            [route.method.toLowerCase() as 'post'](url)
            .set('Content-Type', 'application/json');
          if (token) req = req.set('Authorization', `Bearer ${token}`);
          const started = Date.now();
          const res = await req.send(put(example, at, json));
          const ms = Date.now() - started;
          sent++;
          const what = `${route.key} ${at.join('.')}=${json.slice(0, 40)}`;
          if (ms > 2000) wrong.push(`${what} took ${ms} ms`);
          if (res.status >= 500 || (res.status >= 400 && refusalFault(res).length > 0))
            wrong.push(
              `${what} → ${res.status} ${JSON.stringify(refusalFault(res))} ${res.text.slice(0, 200)}`,
            );
          const now = await watch();
          // A failed sign-in is recorded by design (the throttle and `auth.login.failed`).
          if (
            res.status >= 400 &&
            now !== state &&
            !(res.status === 401 && route.path.endsWith('/auth/login'))
          )
            wrong.push(`${what} → ${res.status} but wrote ${describeChange(state, now)}`);
          state = now;
          if (res.status < 300) version = await currentVersion();
        }
    }
    console.log('SENT', sent);
    expect(seen.size).toBeGreaterThan(40);
    expect(sent).toBeGreaterThan(1000);
    expect(wrong).toEqual([]);
  }, 180_000);

  it('bracket forms, prototype names, LIKE metacharacters and expanders in every declared query parameter: a page or a 4xx problem', async () => {
    const names = await declaredQueryNames(t);
    const VALUES = (name: string) => [
      `${name}[]=1`,
      `${name}[a]=1`,
      `${name}[__proto__]=1`,
      `${name}[0]=1&${name}[1]=2`,
      `${name}=${encodeURIComponent('\u0390'.repeat(200))}`,
      `${name}=${encodeURIComponent('\u0130'.repeat(200))}`,
      `${name}=%5C`,
      `${name}=%25_%5C%25`,
      `${name}=9223372036854775808`,
      `${name}=NaN`,
      `${name}=2026-W01-1`,
      `${name}=20260101`,
      `${name}=2026-03-01T10:00:00,5Z`,
    ];
    const wrong: string[] = [];
    let sent = 0;
    const tried = new Map<string, number>();
    for (const route of all) {
      const target = targetOf(route);
      const token = target?.caller.http.tokens.accessToken;
      const url = target?.url ?? route.path;
      for (const name of names.get(route.key) ?? []) {
        tried.set(name, (tried.get(name) ?? 0) + 1);
        if (tried.get(name)! > 3) continue;
        for (const query of VALUES(name)) {
          let req = request(t.server)[route.method.toLowerCase() as 'get'](`${url}?${query}`);
          if (token) req = req.set('Authorization', `Bearer ${token}`);
          if (route.method !== 'GET') req = req.set('Content-Type', 'application/json').send('{}');
          const started = Date.now();
          const res = await req;
          const ms = Date.now() - started;
          sent++;
          const what = `${route.key} ?${query.slice(0, 40)}`;
          if (ms > 2000) wrong.push(`${what} took ${ms} ms`);
          if (res.status >= 500 || (res.status >= 400 && refusalFault(res).length > 0))
            wrong.push(`${what} → ${res.status} ${res.text.slice(0, 160)}`);
        }
      }
    }
    expect(sent).toBeGreaterThan(300);
    expect(wrong).toEqual([]);
  }, 120_000);

  it('afterwards, with whatever the sweep stored: every read answers without a 500, the audit export streams', async () => {
    const wrong: string[] = [];
    for (const route of all.filter((r) => r.method === 'GET')) {
      const target = targetOf(route);
      let req = request(t.server).get(target?.url ?? route.path);
      if (target) req = req.set('Authorization', `Bearer ${target.caller.http.tokens.accessToken}`);
      const res = await req;
      if (res.status >= 500 || (res.status >= 400 && refusalFault(res).length > 0))
        wrong.push(`${route.key} → ${res.status} ${res.text.slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
    const auditor = callers.find((c) => c.username === 'kr.auditor')!.http;
    for (const accept of ['application/x-ndjson', 'text/csv'])
      expect((await auditor.get('/audit-events/export').set('Accept', accept)).status).toBe(200);
  }, 60_000);
});
