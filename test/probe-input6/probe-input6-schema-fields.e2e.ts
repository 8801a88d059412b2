import request from 'supertest';
import { createTestApp, TestApp } from '../support/test-app';
import { holds, ROUTE_PERMISSIONS } from '../security/authorization-expectations';
import { ROUTE_EXAMPLES } from '../security/route-examples';
import {
  buildWorld,
  loadRoutes,
  ownWriteTarget,
  Route,
  SignedCaller,
  signInEveryone,
  versionLookup,
  World,
} from '../security/security-support';
import { refusalFault } from '../probe-input4/probe-input4-support';
import { AuditSealerService } from '../../src/audit/audit-sealer.service';
import type { Permission } from '../../src/common/permissions/permissions';

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  allOf?: Schema[];
  oneOf?: Schema[];
  pattern?: string;
};

/**
 * Probe (input round 6): hostile values in EVERY field of every request schema of the OpenAPI document,
 * optional and nested ones included. Earlier sweeps (probe-input5-generators, the fuzz suite) changed
 * the scalars of each route's example body only, so a field the example leaves out (a person's
 * `documents[0].expires`, a request's `identifiers.urls`, a framework's `dueHours`) was never sent
 * anything hostile. Here each field of the schema is set in turn on the example body (missing parents
 * created), by a caller the route lets in, on that caller's own record. Then, with whatever that
 * stored, every read route, the audit export and the chain's verification. No 500, no slow answer, no
 * refusal without its problem body; kept so a new field that answers a 500 fails. (What was taken that
 * should not have been is in FINDINGS.md: event times in any past year.)
 */
describe('Probe: every field of every request schema, optional ones included', () => {
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
  /** Every property path of a schema (lists entered at [0]), to depth 4, with its schema. */
  /** Nested schemas whose fields were swept already (a person's, inside an arrest and a blacklist entry). */
  const swept = new Set<string>();
  /**
   * Every property path of a schema (lists entered at [0]), to depth 4, with its schema. A nested schema
   * is entered once, where it first appears: its fields are checked by the same DTO wherever it is used.
   */
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
   * What each kind of field is sent: for every field, text that cannot be stored (NUL, a C1 control, a
   * lone surrogate), 1e400 and an object; for text, an NFKC expander, 100 KB, dates PostgreSQL or
   * JavaScript read differently (past year 275,760, a leap second, +14:00 on year 1); for numbers,
   * past int4 and 2^53, -0 and a number written as a string; for lists, lists of lists, null items,
   * an object with an index for a name, and one item more than any list of the API may have.
   */
  const valuesFor = (s: Schema): { json: string; refused?: true }[] => {
    const common = [
      // The InputGuard is one walk for every field: one value with all three is enough per field.
      { json: '"a\\u0000b\\u0085c\\ud800"', refused: true as const },
      { json: '1e400' },
      { json: '{}' },
    ];
    const text = [
      JSON.stringify('\ufdfd'.repeat(400)),
      JSON.stringify('x'.repeat(100_000)),
      '"+275760-09-13T00:00:00Z"',
      '"2026-12-31T23:59:60Z"',
      '"0001-01-01T00:00:00+14:00"',
    ].map((json) => ({ json }));
    const numbers = ['2147483648', '9007199254740993', '-0', '"1"'].map((json) => ({ json }));
    const list = ['[null]', '[[]]', '"x"'].map((json) => ({ json }));
    if (s.type === 'string' || s.enum) return [...common, ...text];
    if (s.type === 'integer' || s.type === 'number') return [...common, ...numbers];
    if (s.type === 'array')
      return [...common, ...list, { json: JSON.stringify(Array(2001).fill('x')), refused: true }];
    return [...common, { json: '"x"' }, { json: '[]' }];
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

  it('hostile values in every field of every request schema, optional and nested ones included: the normal answer or a 4xx problem, text that cannot be stored always refused', async () => {
    const versionOf = await versionLookup(t);
    const wrong: string[] = [];
    let sent = 0;
    const seen = new Set<string>();
    for (const route of all.filter((r) => r.hasJsonBody)) {
      const schema =
        doc.paths[route.path]![route.method.toLowerCase()]!.requestBody!.content!['application/json']!.schema;
      // Forty workflow steps share one schema: each schema once, by the first route that takes it.
      if (!schema?.$ref || seen.has(schema.$ref)) continue;
      seen.add(schema.$ref);
      const permission = ROUTE_PERMISSIONS[route.key];
      const target = ownWriteTarget(route, permission as string, callers, world, (roles) =>
        holds(roles, permission as Permission),
      );
      const token = target?.caller.http.tokens.accessToken;
      const url = target?.url ?? route.path;
      const currentVersion = async () => (target?.recordId ? await versionOf(target.recordId) : 1);
      let version = await currentVersion();
      for (const { at, schema: field } of fieldsOf(schema))
        for (const { json, refused } of valuesFor(field)) {
          const example = ROUTE_EXAMPLES[route.key]?.({ ...world.context.KR, version }) ?? {};
          let req = request(t.server)
            [route.method.toLowerCase() as 'post'](url)
            .set('Content-Type', 'application/json');
          if (token) req = req.set('Authorization', `Bearer ${token}`);
          const started = Date.now();
          const res = await req.send(put(example, at, json));
          const ms = Date.now() - started;
          sent++;
          // An accepted value may have moved the record's version on.
          if (res.status < 300) version = await currentVersion();
          const what = `${route.key} ${at.join('.')}=${json.slice(0, 40)}`;
          if (ms > 2000) wrong.push(`${what} took ${ms} ms`);
          if (
            refused
              ? refusalFault(res).length > 0
              : res.status >= 500 || (res.status >= 400 && refusalFault(res).length > 0)
          )
            wrong.push(
              `${what} → ${res.status} ${JSON.stringify(refusalFault(res))} ${res.text.slice(0, 200)}`,
            );
        }
    }
    expect(seen.size).toBeGreaterThan(40);
    expect(sent).toBeGreaterThan(2500);
    expect(wrong).toEqual([]);
  }, 120_000);

  it('afterwards, with whatever the sweep stored: every read answers without a 500, the audit export streams, the chain verifies', async () => {
    const wrong: string[] = [];
    for (const route of all.filter((r) => r.method === 'GET')) {
      const permission = ROUTE_PERMISSIONS[route.key];
      const target = ownWriteTarget(route, permission as string, callers, world, (roles) =>
        holds(roles, permission as Permission),
      );
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
    await t.app.get(AuditSealerService).sealNow({ drain: true, checkpoint: true });
    const verify = await auditor.post('/audit-events/verify', {});
    expect({ status: verify.status, body: verify.body }).toEqual({
      status: 200,
      body: { ok: true, reason: null },
    });
  }, 60_000);
});
