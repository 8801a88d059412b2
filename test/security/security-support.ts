import request from 'supertest';
import { ModulesContainer } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { queryPrepared } from '../../src/database/sql-parts';
import { REQUIRED_PERMISSION } from '../../src/common/permissions/require-permission.decorator';
import type { Role } from '../../src/common/permissions/roles';
import { unzip } from '../attachments/attachment-support';
import { signIn, SignedIn } from '../support/http';
import type { TestApp } from '../support/test-app';
import type { Caller, RecordUnderTest } from './authorization-expectations';
import { ExampleContext, ROUTE_EXAMPLES } from './route-examples';

export interface Route {
  method: string;
  /** OpenAPI form: `/api/v1/cases/{id}`. */
  path: string;
  key: string;
  operationId: string;
  /** Properties of the JSON body's schema (empty without a JSON body). */
  bodyProperties: string[];
  hasJsonBody: boolean;
}

interface OpenApiDoc {
  paths: Record<
    string,
    Record<
      string,
      { operationId: string; requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } }
    >
  >;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

/** Every route of the app's own OpenAPI document. */
export async function loadRoutes(t: TestApp): Promise<Route[]> {
  const doc = (await request(t.server).get('/api/docs-json').expect(200)).body as OpenApiDoc;
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([m, op]) => {
      const ref = op.requestBody?.content?.['application/json']?.schema?.$ref;
      const schema = ref ? doc.components.schemas[ref.split('/').pop() ?? ''] : undefined;
      return {
        method: m.toUpperCase(),
        path,
        key: `${m.toUpperCase()} ${path}`,
        operationId: op.operationId,
        bodyProperties: Object.keys(schema?.properties ?? {}),
        hasJsonBody: ref !== undefined,
      };
    }),
  );
}

/**
 * Every method of every controller Nest has, as `Controller_method` with the method itself. Handlers may
 * come from a mixin base class (the workflow steps), so the prototype chain is walked, up to the root
 * prototype (the app's, which is not this spec file's `Object.prototype`: test/support/shared-app-runtime.js).
 */
export function controllerMethodsOf(t: TestApp): Array<{ key: string; handler: object; cls: object }> {
  const out: Array<{ key: string; handler: object; cls: object }> = [];
  for (const module of t.app.get(ModulesContainer).values())
    for (const wrapper of module.controllers.values()) {
      const cls = wrapper.metatype as unknown as { name: string; prototype: Record<string, object> };
      for (
        let proto = cls.prototype;
        Object.getPrototypeOf(proto) !== null;
        proto = Object.getPrototypeOf(proto)
      )
        for (const method of Object.getOwnPropertyNames(proto))
          if (method !== 'constructor')
            out.push({ key: `${cls.name}_${method}`, handler: proto[method], cls });
    }
  return out;
}

/** `@RequirePermission` of every handler, keyed by the OpenAPI operation id without its version. */
export function permissionsFromApp(t: TestApp): Map<string, string> {
  const out = new Map<string, string>();
  for (const { key, handler, cls } of controllerMethodsOf(t)) {
    if (out.has(key)) continue; // an override nearer the class than its base's method
    const permission =
      Reflect.getMetadata(REQUIRED_PERMISSION, handler) ?? Reflect.getMetadata(REQUIRED_PERMISSION, cls);
    out.set(key, permission ?? 'public');
  }
  return out;
}

/** The record kind a route's `{id}` names, from its first path segment. */
export function kindOf(path: string): string | undefined {
  const m = /^\/api\/v1\/([a-z-]+)\/\{id\}/.exec(path);
  if (!m) return undefined;
  const segment = m[1];
  return segment.endsWith('ies') ? segment.slice(0, -3) + 'y' : segment.replace(/s$/, '');
}

export function fillPath(path: string, id: string, partner = 'MY'): string {
  return path
    .replace('{id}', id)
    .replace('{countryCode}', partner)
    .replace(/\{[A-Za-z]+\}/g, () => randomUUID());
}

export const COUNTRIES = ['KR', 'KH', 'MY'] as const;
export const COUNTRY_ROLES: Role[] = ['officer', 'liaison', 'screener', 'auditor', 'admin'];

export interface SignedCaller extends Caller {
  http: SignedIn;
}

export async function signInEveryone(t: TestApp): Promise<SignedCaller[]> {
  const callers: SignedCaller[] = [];
  for (const country of COUNTRIES)
    for (const role of COUNTRY_ROLES) {
      const username = `${country.toLowerCase()}.${role}`;
      callers.push({ username, roles: [role], country, http: await signIn(t.server, username) });
    }
  callers.push({
    username: 'platform.admin',
    roles: ['platform_admin'],
    country: null,
    http: await signIn(t.server, 'platform.admin'),
  });
  return callers;
}

/** Business tables compared around every refused call (audit, sessions, jobs and notifications excluded). */
const NOT_BUSINESS = new Set([
  'audit_event',
  'audit_chain',
  'audit_checkpoint',
  'refresh_token',
  'notification',
  'notification_read',
  'idempotency_key',
  'schema_migrations',
]);

/**
 * `also`: counts to take in the same statement (name → a `WHERE` on its table, `table WHERE …`), so a
 * caller watching the audit trail too asks one query around each call instead of two.
 */
export async function snapshotter(
  t: TestApp,
  also: Record<string, string> = {},
): Promise<() => Promise<string>> {
  const tables: { table_name: string; has_updated: boolean }[] = await t.dataSource.query(
    `SELECT t.table_name, EXISTS (SELECT 1 FROM information_schema.columns c
       WHERE c.table_schema = 'public' AND c.table_name = t.table_name AND c.column_name = 'updated_at') AS has_updated
       FROM information_schema.tables t WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const business = tables.filter((x) => !NOT_BUSINESS.has(x.table_name));
  if (business.length < 20) throw new Error('too few business tables found');
  // app_user: the row count and its version/updated_at, not the login counters.
  const sql = business
    .map(
      (x) =>
        `SELECT '${x.table_name}' AS t, count(*)::text AS n, ${x.has_updated ? 'max(updated_at)::text' : `''`} AS u FROM ${x.table_name}`,
    )
    .concat(Object.entries(also).map(([name, from]) => `SELECT '${name}', count(*)::text, '' FROM ${from}`))
    .join(' UNION ALL ');
  // Prepared: planning this union of every table (~3 ms) cost more than running it, around every call.
  return async () => {
    const rows = await queryPrepared<{ t: string; n: string; u: string | null }>(
      t.dataSource.manager,
      sql,
      [],
    );
    return rows.map((r) => `${r.t}:${r.n}:${r.u ?? ''}`).join('|');
  };
}

export function describeChange(before: string, after: string): string {
  const a = new Set(before.split('|'));
  return after
    .split('|')
    .filter((x) => !a.has(x))
    .join(', ');
}

async function versionedTables(t: TestApp): Promise<{ table_name: string }[]> {
  return t.dataSource.query(
    `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'version'
      INTERSECT SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'id'`,
  );
}

/** The current `version` of any record with one (looked up in every table with `id` and `version`). */
export async function versionLookup(t: TestApp): Promise<(id: string) => Promise<number>> {
  const tables = await versionedTables(t);
  const sql = tables
    .map((x) => `SELECT '${x.table_name}' AS t, version FROM ${x.table_name} WHERE id::text = $1`)
    .join(' UNION ALL ');
  // An id found in exactly one table is looked up there from then on (by its key): the union scans
  // every table, and sweeps ask after every accepted write (probe input9: ~1,000 times).
  const tableOf = new Map<string, string>();
  return async (id: string) => {
    const table = tableOf.get(id);
    if (table) {
      const rows: { version: number }[] = await t.dataSource.query(
        `SELECT version FROM ${table} WHERE id = $1`,
        [id],
      );
      return rows[0]?.version ?? 1;
    }
    const rows: { t: string; version: number }[] = await t.dataSource.query(sql, [id]);
    if (rows.length === 1) tableOf.set(id, rows[0]!.t);
    return rows[0]?.version ?? 1;
  };
}

/**
 * Every record's `version` as it stands now, read once (one query over the tables `versionLookup` asks
 * one by one, in the same order: the first table holding an id gives its version). For a sweep whose
 * calls may not change any record they name (each is a caller's call on a record it may not see, which
 * the sweep expects refused): asked per call, `versionLookup`'s union read every versioned table for
 * every case of the sweep, to answer the same number each time.
 */
export async function versionSnapshot(t: TestApp): Promise<(id: string) => number> {
  const tables = await versionedTables(t);
  const rows: { id: string; version: number }[] = await t.dataSource.query(
    `${tables.map((x, i) => `SELECT id::text AS id, version, ${i} AS n FROM ${x.table_name}`).join(' UNION ALL ')}
      ORDER BY n DESC`,
  );
  const versions = new Map<string, number>();
  for (const { id, version } of rows) versions.set(id, version);
  return (id: string) => versions.get(id) ?? 1;
}

export interface World {
  records: RecordUnderTest[];
  /** Per country: what example bodies need. */
  context: Record<string, Omit<ExampleContext, 'version'>>;
}

const PARTNER: Record<string, string> = { KR: 'KH', KH: 'KR', MY: 'KR' };

/** One record of each main kind per country, created through the API. */
export async function buildWorld(t: TestApp, callers: SignedCaller[]): Promise<World> {
  const who = (username: string) => {
    const c = callers.find((x) => x.username === username);
    if (!c) throw new Error(username);
    return c.http;
  };
  const frameworks: { id: string; name: string }[] = await t.dataSource.query(
    `SELECT id, name FROM framework`,
  );
  const fw = (a: string, b: string) =>
    [a, b].sort().join() === 'KH,KR'
      ? frameworks.find((f) => f.name.startsWith('Cambodia'))!.id
      : frameworks.find((f) => f.name.startsWith('Korea–Malaysia'))!.id;
  const records: RecordUnderTest[] = [];
  const context: World['context'] = {};
  const created = async (res: request.Response, what: string) => {
    if (res.status !== 201) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; version: number };
  };
  for (const country of COUNTRIES) {
    const lc = country.toLowerCase();
    const officer = who(`${lc}.officer`);
    const partner = PARTNER[country];
    const [agency] = await t.dataSource.query(
      `SELECT u.id, u.agency_id FROM app_user u WHERE u.username = $1`,
      [`${lc}.officer2`],
    );
    const add = (kind: string, id: string, visibleTo: string[] = [country]) =>
      records.push({ kind, id, owner: country, visibleTo });
    add('user', agency.id);

    const kase = await created(await officer.post('/cases', { title: `${country} case` }), 'case');
    add('case', kase.id);
    // An attachment on the case: seen exactly by who sees the case (its own country in this world).
    const attachment = await created(
      await request(t.server)
        .post(`/api/v1/cases/${kase.id}/attachments`)
        .set('Authorization', `Bearer ${officer.tokens.accessToken}`)
        .set('Content-Type', 'application/octet-stream')
        .set('X-Filename', `${lc}-evidence.txt`)
        .send(Buffer.from(`${country} evidence for the security suite\n`)),
      'attachment',
    );
    add('attachment', attachment.id);
    const person = await created(
      await officer.post('/persons', {
        names: [{ full: `${country} person`, script: 'latin', kind: 'primary' }],
      }),
      'person',
    );
    add('person', person.id);
    const arrest = await created(
      await officer.post('/arrests', {
        arrestedAt: '2026-03-01T02:30:00Z',
        place: 'A compound',
        grounds: 'Online fraud',
        arrestingAgency: 'Police',
        nationality: partner,
        person: { names: [{ full: `${country} arrestee`, script: 'latin', kind: 'primary' }] },
      }),
      'arrest',
    );
    add('arrest', arrest.id);
    context[country] = {
      frameworkId: fw(country, partner),
      partner,
      personId: person.id,
      officerId: agency.id,
      agencyId: agency.agency_id,
      country,
      arrestId: arrest.id,
    };
    const ctx = { ...context[country], version: 1 };

    const draft = await created(
      await officer.post('/information-requests', ROUTE_EXAMPLES['POST /api/v1/information-requests'](ctx)),
      'draft request',
    );
    add('information-request', draft.id);
    const sent = await created(
      await officer.post('/information-requests', ROUTE_EXAMPLES['POST /api/v1/information-requests'](ctx)),
      'request',
    );
    const submitted = await officer.post(`/information-requests/${sent.id}/submit`, {
      version: sent.version,
    });
    const approved = await who(`${lc}.liaison`).post(`/information-requests/${sent.id}/approve`, {
      version: submitted.body.version,
    });
    if (approved.status !== 200)
      throw new Error(`approve: ${approved.status} ${JSON.stringify(approved.body)}`);
    add('information-request', sent.id, [country, partner]);

    const proposal = await created(
      await officer.post(
        '/blacklist-entries/batch',
        ROUTE_EXAMPLES['POST /api/v1/blacklist-entries/batch'](ctx),
      ),
      'blacklist proposal',
    );
    add('blacklist-proposal', proposal.id);
    for (const e of await t.dataSource.query(`SELECT id FROM blacklist_entry WHERE proposal_id = $1`, [
      proposal.id,
    ]))
      add('blacklist-entry', e.id);
    const freeze = await created(
      await officer.post('/asset-freeze-requests', ROUTE_EXAMPLES['POST /api/v1/asset-freeze-requests'](ctx)),
      'freeze',
    );
    add('asset-freeze-request', freeze.id);
    const repatriation = await created(
      await officer.post('/repatriation-requests', ROUTE_EXAMPLES['POST /api/v1/repatriation-requests'](ctx)),
      'repatriation',
    );
    add('repatriation-request', repatriation.id);
    const screening = await created(
      await who(`${lc}.screener`).post('/screenings', ROUTE_EXAMPLES['POST /api/v1/screenings'](ctx)),
      'screening',
    );
    add('screening', screening.id);
    const check = await created(
      await officer.post('/identifier-checks', ROUTE_EXAMPLES['POST /api/v1/identifier-checks'](ctx)),
      'identifier check',
    );
    add('identifier-check', check.id);
    const hook = await created(
      await who(`${lc}.admin`).post('/webhooks', ROUTE_EXAMPLES['POST /api/v1/webhooks'](ctx)),
      'webhook',
    );
    add('webhook', hook.id);
  }
  // Release requests: each country asks its partner to pass on a person the partner sent it under AMBER.
  for (const country of COUNTRIES) {
    const partner = PARTNER[country];
    const third = COUNTRIES.find((c) => c !== country && c !== partner)!;
    const lp = partner.toLowerCase();
    const given = await created(
      await who(`${lp}.officer`).post('/information-requests', {
        ...ROUTE_EXAMPLES['POST /api/v1/information-requests']({
          ...context[partner],
          partner: country,
          frameworkId: fw(partner, country),
          version: 1,
        }),
        personIds: [context[partner].personId],
      }),
      'request naming a person',
    );
    const submitted = await who(`${lp}.officer`).post(`/information-requests/${given.id}/submit`, {
      version: given.version,
    });
    await who(`${lp}.liaison`)
      .post(`/information-requests/${given.id}/approve`, { version: submitted.body.version })
      .expect(200);
    context[country] = {
      ...context[country],
      thirdCountry: third,
      receivedPersonId: context[partner].personId,
    };
    const received = records.findIndex((r) => r.kind === 'person' && r.id === context[partner].personId);
    records[received] = { ...records[received], visibleTo: [...records[received].visibleTo, country] };
    const release = await created(
      await who(`${country.toLowerCase()}.officer`).post(
        '/release-requests',
        ROUTE_EXAMPLES['POST /api/v1/release-requests']({ ...context[country], version: 1 }),
      ),
      'release request',
    );
    records.push({ kind: 'release-request', id: release.id, owner: country, visibleTo: [country] });
  }
  for (const n of await t.dataSource.query(
    `SELECT DISTINCT ON (country_code) id, country_code FROM notification ORDER BY country_code, id`,
  ))
    records.push({ kind: 'notification', id: n.id, owner: n.country_code, visibleTo: [n.country_code] });
  for (const f of frameworks)
    records.push({ kind: 'framework', id: f.id, owner: null, visibleTo: [], global: true });
  return { records, context };
}

export const isServerError = (status: number) => status >= 500;

/** Stack traces, SQL or error class names in a response body. */
export function leaks(text: string): string | undefined {
  const patterns: [RegExp, string][] = [
    [/\bat .*\.(ts|js):\d+/, 'stack trace'],
    [/SELECT |INSERT |UPDATE .* SET |relation "|syntax error/i, 'SQL'],
    [/\b[A-Za-z]*Error: /, 'Error:'],
  ];
  return patterns.find(([re]) => re.test(text))?.[1];
}

export async function send(
  t: TestApp,
  method: string,
  url: string,
  token: string | undefined,
  body?: unknown,
): Promise<request.Response> {
  let req = request(t.server)[method.toLowerCase() as 'get'](url);
  if (token) req = req.set('Authorization', `Bearer ${token}`);
  if (body !== undefined) req = req.set('Content-Type', 'application/json').send(JSON.stringify(body));
  return req;
}

const ROLE_PREFERENCE: Role[] = ['officer', 'liaison', 'admin', 'auditor', 'screener', 'platform_admin'];

/**
 * For write suites: a KR caller whose roles grant the route's permission, the URL with KR's own record
 * of the route's kind, and the example context. `undefined` for public routes.
 */
export function ownWriteTarget(
  route: Route,
  permission: string,
  callers: SignedCaller[],
  world: World,
  holds: (roles: readonly Role[]) => boolean,
): { caller: SignedCaller; url: string; recordId?: string } | undefined {
  if (permission === 'public') return undefined;
  const role = ROLE_PREFERENCE.find((r) => holds([r]));
  const caller = callers.find(
    (c) => c.roles.includes(role as Role) && (c.country === 'KR' || role === 'platform_admin'),
  );
  if (!caller) return undefined;
  const kind = kindOf(route.path);
  const record = kind
    ? world.records.find((r) => r.kind === kind && (r.owner === 'KR' || r.global))
    : undefined;
  if (kind && !record) return undefined;
  // A collection route may still name the caller's framework (`/identifier-checks/settings/{frameworkId}`).
  const own = route.path.replace('{frameworkId}', world.context[caller.country ?? 'KR'].frameworkId);
  return { caller, url: record ? fillPath(route.path, record.id, 'MY') : own, recordId: record?.id };
}

/** The audit trail's `recordType` of a world kind (for the timeline of records the caller sees). */
export const AUDIT_TYPE: Record<string, string> = {
  'information-request': 'request',
  'release-request': 'request',
  'asset-freeze-request': 'request',
  'repatriation-request': 'request',
  'blacklist-proposal': 'request',
  case: 'case',
  arrest: 'arrest',
  person: 'person',
  'blacklist-entry': 'blacklist_entry',
  attachment: 'attachment',
};

/** The raw body, whatever its content type (JSON, NDJSON, CSV, bytes). */
export function raw(res: request.Response, cb: (err: Error | null, body: string) => void): void {
  let text = '';
  res.setEncoding('latin1');
  res.on('data', (chunk: string) => (text += chunk));
  res.on('end', () => cb(null, text));
}

/** A body as text, lower-cased; a ZIP as its entries' names and contents. */
export async function readable(body: string): Promise<string> {
  if (!body.startsWith('PK\u0003\u0004')) return body.toLowerCase();
  const entries = await unzip(Buffer.from(body, 'latin1'));
  return [...entries]
    .map(([name, content]) => `${name}\n${content.toString('utf8')}`)
    .join('\n')
    .toLowerCase();
}

/** The query parameters each operation of the OpenAPI document declares, by `METHOD /path`. */
export async function declaredQueryNames(t: TestApp): Promise<Map<string, Set<string>>> {
  const doc = (await request(t.server).get('/api/docs-json').expect(200)).body as {
    paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
  };
  const names = new Map<string, Set<string>>();
  for (const [path, methods] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(methods))
      names.set(
        `${method.toUpperCase()} ${path}`,
        new Set((op.parameters ?? []).filter((x) => x.in === 'query').map((x) => x.name)),
      );
  return names;
}
