import request from 'supertest';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { auditEventScope, positional } from '../../src/access/scopes';
import type { Role } from '../../src/common/permissions/roles';
import type { TestApp } from '../support/test-app';
import { ROUTE_EXAMPLES } from './route-examples';
import { kindOf, Route, SignedCaller, World } from './security-support';

/**
 * The id-slot sweep of probes r51, r53 and r54: every route of the app's own OpenAPI document that takes
 * an id (in its path, its query or its JSON body), filled with ids a caller may not know of. Plain
 * functions: each takes the app, the callers and the world it works on.
 */

/** Where a route takes an id: a path parameter, a query parameter or a body property. */
export interface Slot {
  route: Route;
  where: 'path' | 'query' | 'body';
  name: string;
  /** The record kind the slot names (`undefined`: any). */
  kind?: string;
}

/** A record of another country's and who may not know of it. */
export interface Hidden {
  kind: string;
  id: string;
  label: string;
  /** The country whose record it is (set where askers are matched to owners). */
  owner?: string;
  hiddenFrom: (c: SignedCaller) => boolean;
}

/** Who a caller is, as the audit trail's scope needs it. */
export interface Actor {
  userId: string;
  roles: Role[];
  agencyId: string | null;
}

/** Slot names that name a record of some kind; frameworks, agencies and countries are reference data. */
export const SLOT_KINDS: Record<string, string | undefined> = {
  personId: 'person',
  personIds: 'person',
  caseId: 'case',
  arrestId: 'arrest',
  arrestIds: 'arrest',
  assigneeId: 'user',
  leadOfficerId: 'user',
  blacklistEntryId: 'blacklist-entry',
  blacklistRequestId: 'blacklist-proposal',
  proposalId: 'blacklist-proposal',
  screeningHitId: undefined,
  raidId: undefined,
  recordId: undefined,
  changeId: undefined,
  amendmentId: undefined,
  candidateId: undefined,
  targetId: undefined,
};
export const NOT_RECORDS = new Set(['frameworkId', 'agencyId', 'countryCode']);
/** Headers that differ between any two calls (dates, request ids, rate-limit counters). */
export const VOLATILE_HEADERS =
  /^(date|x-request-id|request-id|connection|keep-alive|x-response-time|x?-?ratelimit.*|retry-after)$/;
export const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** The kinds a slot that may name any record is filled with. */
export const GENERIC_KINDS = [
  'case',
  'person',
  'arrest',
  'attachment',
  'information-request',
  'blacklist-entry',
];

/** The slots of every route taking an id, from the OpenAPI document. */
export async function idSlotsOf(server: Server, routes: Route[]): Promise<Slot[]> {
  const doc = (await request(server).get('/api/docs-json').expect(200)).body as {
    paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
  };
  const slots: Slot[] = [];
  for (const route of routes) {
    const op = doc.paths[route.path][route.method.toLowerCase()];
    for (const m of route.path.matchAll(/\{([A-Za-z]+)\}/g)) {
      const name = m[1];
      if (NOT_RECORDS.has(name)) continue;
      slots.push({
        route,
        where: 'path',
        name,
        kind: name === 'id' ? kindOf(route.path) : SLOT_KINDS[name],
      });
    }
    for (const p of op.parameters ?? [])
      if (p.in === 'query' && /Ids?$/.test(p.name) && !NOT_RECORDS.has(p.name))
        slots.push({ route, where: 'query', name: p.name, kind: SLOT_KINDS[p.name] });
    for (const name of route.bodyProperties)
      if (/Ids?$/.test(name) && !NOT_RECORDS.has(name))
        slots.push({ route, where: 'body', name, kind: SLOT_KINDS[name] });
  }
  return slots;
}

/**
 * KR's records KH and MY may not know of: a request to KH withdrawn while a draft, a RED request sent to
 * KH with its file (hidden from all but KH's liaisons), and every record of the security world KR kept
 * to itself.
 */
export async function krUnsharedRecords(
  t: TestApp,
  callers: SignedCaller[],
  world: World,
): Promise<Hidden[]> {
  const hidden: Hidden[] = [];
  const kr = (role: string) => callers.find((c) => c.username === `kr.${role}`)!.http;
  const ok = (res: request.Response, what: string, status = 201) => {
    if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; version: number };
  };
  const ctx = { ...world.context.KR, version: 1 };
  const draftBody = ROUTE_EXAMPLES['POST /api/v1/information-requests'](ctx);

  // A KR request to KH withdrawn while a draft: KH never hears of it.
  const withdrawn = ok(await kr('officer').post('/information-requests', draftBody), 'draft to withdraw');
  ok(
    await kr('officer').post(`/information-requests/${withdrawn.id}/withdraw`, {
      version: withdrawn.version,
      comment: 'not needed',
    }),
    'withdraw draft',
    200,
  );
  // A RED request KR sent KH, with a file: KH's liaisons are its only readers there.
  const red = ok(
    await kr('officer').post('/information-requests', { ...draftBody, handlingCode: 'RED' }),
    'RED draft',
  );
  const file = ok(
    await request(t.server)
      .post(`/api/v1/information-requests/${red.id}/attachments`)
      .set('Authorization', `Bearer ${kr('officer').tokens.accessToken}`)
      .set('Content-Type', 'application/octet-stream')
      .set('X-Filename', 'red-material.txt')
      .send(Buffer.from('RED material for probe r51\n')),
    'RED file',
  );
  const submitted = ok(
    await kr('officer').post(`/information-requests/${red.id}/submit`, { version: red.version }),
    'submit RED',
    200,
  );
  ok(
    await kr('liaison').post(`/information-requests/${red.id}/approve`, { version: submitted.version }),
    'approve RED',
    200,
  );
  const notKhLiaison = (c: SignedCaller) => !(c.country === 'KH' && c.roles.includes('liaison'));
  hidden.push(
    { kind: 'information-request', id: withdrawn.id, label: 'KR withdrawn draft', hiddenFrom: () => true },
    { kind: 'information-request', id: red.id, label: 'KR RED request to KH', hiddenFrom: notKhLiaison },
    { kind: 'attachment', id: file.id, label: 'KR RED request’s file', hiddenFrom: notKhLiaison },
  );
  for (const r of world.records) {
    if (r.owner !== 'KR' || r.global) continue;
    // KR's identifier check asks KH, which so learns of it.
    const seenBy = r.kind === 'identifier-check' ? [...r.visibleTo, 'KH'] : r.visibleTo;
    hidden.push({
      kind: r.kind,
      id: r.id,
      label: `KR ${r.kind}`,
      hiddenFrom: (c) => !seenBy.includes(c.country ?? ''),
    });
  }
  return hidden;
}

/** Each caller's user id, roles and agency, by username. */
export async function actorsOf(t: TestApp, callers: SignedCaller[]): Promise<Map<string, Actor>> {
  const actors = new Map<string, Actor>();
  for (const c of callers) {
    const [u] = await t.dataSource.query(`SELECT id, agency_id FROM app_user WHERE username = $1`, [
      c.username,
    ]);
    actors.set(c.username, { userId: u.id, roles: c.roles as Role[], agencyId: u.agency_id });
  }
  return actors;
}

/**
 * The URL and JSON body (`undefined`: none) of a call with `id` in `slot`, the example body built for the
 * asker's country at `version`. Other path values get `filler`, a fixed id that never existed.
 */
export function slotCall(
  world: World,
  caller: SignedCaller,
  slot: Slot,
  id: string,
  version: number,
  filler: string,
): { url: string; body: Record<string, unknown> | undefined } {
  const { route } = slot;
  const ctx = { ...world.context[caller.country!], version };
  let url = route.path.replace('{countryCode}', 'KR');
  if (slot.where === 'path') url = url.replace(`{${slot.name}}`, id);
  url = url.replace(/\{[A-Za-z]+\}/g, filler);
  if (slot.where === 'query') {
    const type = slot.name === 'recordId' ? '&recordType=request' : '';
    url += `?${slot.name}=${id}${type}`;
  } else if (route.path === '/api/v1/audit-events/timeline') url += '?recordType=request&recordId=' + id;
  let body: Record<string, unknown> | undefined =
    route.method === 'GET' || route.method === 'DELETE'
      ? undefined
      : { ...(ROUTE_EXAMPLES[route.key]?.(ctx) ?? {}) };
  if (slot.where === 'body') body = { ...body, [slot.name]: slot.name.endsWith('Ids') ? [id] : id };
  return { url, body };
}

/**
 * The request (not yet sent) of `route` at `url` by `caller`, with `body` as JSON when there is one, as
 * `variant` asks it.
 */
export function slotRequest(
  server: Server,
  caller: SignedCaller,
  route: Route,
  url: string,
  body: Record<string, unknown> | undefined,
  variant: SlotVariant = {},
): request.Test {
  let req = request(server)
    [(variant.method ?? route.method).toLowerCase() as 'get'](url)
    .set('Authorization', `Bearer ${caller.http.tokens.accessToken}`);
  for (const [name, value] of Object.entries(variant.headers ?? {})) req = req.set(name, value);
  return body === undefined ? req : req.set('Content-Type', 'application/json').send(JSON.stringify(body));
}

/** What the asker's country could see of one call: compared field by field between two calls. */
export interface Seen {
  status: number;
  headers: string;
  body: string;
  events: string;
  notifications: number;
}

/** How a slot is asked besides the plain request (probe r55). */
export interface SlotVariant {
  /** In place of the route's own (a HEAD for a GET). */
  method?: 'HEAD';
  /** Added to the request: conditional, range or idempotency headers. */
  headers?: Record<string, string>;
  /**
   * The same id is asked more than once: the asker's own reads of the trail then differ between any two
   * calls (their names, times, request ids, and whether the sealer has sealed them yet).
   */
  askedAgain?: boolean;
}

/** Read by the asker's country's auditors but different at every call whatever it asked (`askedAgain`). */
const OWN_READS_VOLATILE = new Set(['seal', 'occurredAt', 'requestId']);

/**
 * One call with `id` in `slot`, and what the asker's country could see of it: status, headers but the
 * volatile ones (and a JSON body's length: the body is compared itself), body but its request id and
 * instance (the asked id itself written `<ASKED>`), the audit events the country's auditors read of what
 * it wrote, and the notifications written to the country.
 */
export async function askSlot(
  t: TestApp,
  world: World,
  actors: Map<string, Actor>,
  caller: SignedCaller,
  slot: Slot,
  id: string,
  version: number,
  variant: SlotVariant = {},
): Promise<Seen> {
  // Other path values: a fixed id that never existed, the same for both calls.
  const { url, body } = slotCall(world, caller, slot, id, version, '00000000-0000-4000-8000-000000000051');
  // Where the trail and the country's notifications stand, in one round trip (each call of a sweep asks
  // twice around a request: four queries a call were a good part of its time).
  const [{ max, nmax }] = await t.dataSource.query(
    `SELECT coalesce(max(id), 0)::text AS max,
            (SELECT count(*)::int FROM notification WHERE country_code = $1) AS nmax FROM audit_event`,
    [caller.country],
  );
  const res = await slotRequest(t.server, caller, slot.route, url, body, variant);
  // What the asker's country's auditors read of what the call wrote.
  const actor = actors.get(caller.username)!;
  const params: unknown[] = [max];
  const scope = positional(
    auditEventScope({
      kind: 'user',
      userId: actor.userId,
      username: caller.username,
      agencyId: actor.agencyId,
      countryCode: caller.country,
      roles: ['auditor'],
    }),
    params,
  );
  params.push(caller.country);
  const [{ stored, n }]: Array<{ stored: Array<Record<string, unknown>>; n: number }> =
    await t.dataSource.query(
      `SELECT coalesce((SELECT json_agg(json_build_object('action', e.action, 'outcome', e.outcome,
                'record_type', e.record_type, 'record_id', e.record_id, 'owner_country', e.owner_country,
                'counterpart_country', e.counterpart_country, 'details', e.details) ORDER BY e.id)
              FROM audit_event e WHERE e.id > $1::bigint AND ${scope}), '[]') AS stored,
            (SELECT count(*)::int FROM notification WHERE country_code = $${params.length}) AS n`,
      params,
    );
  // As the trail shows them (`asReadBy`): a refusal to show a record does not name its owner to the
  // refused caller's country.
  const events = stored.map((e) =>
    e.action === 'access.denied' &&
    (e.details as { reason?: string } | null)?.reason === 'not-visible' &&
    e.owner_country !== caller.country
      ? { ...e, owner_country: null }
      : e,
  );
  const json = /json/.test(String(res.headers['content-type']));
  const headers = Object.fromEntries(
    Object.entries(res.headers).filter(
      ([k]) => !VOLATILE_HEADERS.test(k) && !(json && k === 'content-length'),
    ),
  );
  const {
    requestId: _r,
    instance: _i,
    ...rest
  } = json && res.body && !Array.isArray(res.body) ? res.body : { text: res.text ?? null };
  const same = (x: unknown) =>
    JSON.stringify(x ?? null, (k, v: unknown) =>
      !variant.askedAgain
        ? v
        : OWN_READS_VOLATILE.has(k)
          ? undefined
          : typeof v === 'string' && /^evt_/.test(v)
            ? '<event>'
            : v,
    )
      .split(id)
      .join('<ASKED>')
      .replace(/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z/g, '<time>');
  return {
    status: res.status,
    headers: same(headers),
    body: same(rest),
    events: same(events).replace(UUID, '<uuid>'),
    notifications: n - nmax,
  };
}

/** Of `candidates`, the first of each of `kinds` (the calls stay bounded). */
export function firstOfEachKind(kinds: string[], candidates: Hidden[]): Hidden[] {
  return kinds.map((k) => candidates.find((h) => h.kind === k)!).filter(Boolean);
}

/** The sweep's tally: calls compared, the hidden ids' statuses (status → count), and what differed. */
export interface SweepResult {
  cases: number;
  statuses: Map<number, number>;
  differences: string[];
}

/**
 * The askers of slot `index`: every role of one of the asking countries, each country in turn (the
 * slot's index picks which). An answer turns on the caller's role far more than on which partner country asks, and asking
 * with every (country, role) pair made these sweeps ~8 minutes of a CI run's two cores (session 42); in
 * turn, every pair is still asked, on every country-count-th slot.
 */
export function askersOfSlot(askers: SignedCaller[], index: number): SignedCaller[] {
  const countries = [...new Set(askers.map((a) => a.country))];
  return askers.filter((a) => a.country === countries[index % countries.length]);
}

/**
 * Every slot, asked by the `askers` of its turn (`askersOfSlot`) with each hidden id `choose` gives (the slot, its index and
 * the asker; `kinds`: the slot's kind, or the generic ones) and with a never-existing id: every field of
 * what the asker's country sees must be the same. A difference is reported with each side cut to `width`
 * characters.
 */
export async function sweepHiddenAgainstNever(
  t: TestApp,
  world: World,
  actors: Map<string, Actor>,
  versionOf: (id: string) => Promise<number>,
  slots: Slot[],
  askers: SignedCaller[],
  choose: (slot: Slot, index: number, caller: SignedCaller, kinds: string[]) => Hidden[],
  width: number,
): Promise<SweepResult> {
  const differences: string[] = [];
  let cases = 0;
  const statuses = new Map<number, number>();
  const neverOf = new Map<string, string>();
  const versions = new Map<string, number>();
  for (const [i, slot] of slots.entries()) {
    const kinds = slot.kind ? [slot.kind] : GENERIC_KINDS;
    for (const caller of askersOfSlot(askers, i)) {
      for (const h of choose(slot, i, caller, kinds)) {
        // Looked up once a hidden record: no call of the sweep may change it, and one that did would
        // already differ from its never-existing twin (a success against a 404).
        if (slot.where === 'path' && !versions.has(h.id)) versions.set(h.id, await versionOf(h.id));
        const version = slot.where === 'path' ? versions.get(h.id)! : 1;
        const seen = await askSlot(t, world, actors, caller, slot, h.id, version);
        // One never-existing id per hidden one, asked as often: the trail's earlier refusals of the
        // same id (this sweep's own) are then alike too.
        if (!neverOf.has(h.id)) neverOf.set(h.id, randomUUID());
        const none = await askSlot(t, world, actors, caller, slot, neverOf.get(h.id)!, version);
        cases++;
        statuses.set(seen.status, (statuses.get(seen.status) ?? 0) + 1);
        for (const field of ['status', 'headers', 'body', 'events', 'notifications'] as const)
          if (JSON.stringify(seen[field]) !== JSON.stringify(none[field]))
            differences.push(
              `${caller.username} ${slot.route.key} ${slot.where}:${slot.name} = ${h.label}: ${field} ${String(seen[field]).slice(0, width)} vs ${String(none[field]).slice(0, width)}`,
            );
      }
    }
  }
  return { cases, statuses, differences };
}
