import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { auditEventScope, positional } from '../../src/access/scopes';
import type { Role } from '../../src/common/permissions/roles';
import { signIn } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';
import { ROUTE_EXAMPLES } from '../security/route-examples';
import {
  buildWorld,
  COUNTRY_ROLES,
  kindOf,
  loadRoutes,
  Route,
  SignedCaller,
  signInEveryone,
  versionLookup,
  World,
} from '../security/security-support';

/** Where a route takes an id: a path parameter, a query parameter or a body property. */
interface Slot {
  route: Route;
  where: 'path' | 'query' | 'body';
  name: string;
  /** The record kind the slot names (`undefined`: any). */
  kind?: string;
}

/** A record of KR's and who in another country may not know of it. */
interface Hidden {
  kind: string;
  id: string;
  label: string;
  owner: string;
  hiddenFrom: (c: SignedCaller) => boolean;
}

/** Slot names that name a record of some kind; frameworks, agencies and countries are reference data. */
const SLOT_KINDS: Record<string, string | undefined> = {
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
const NOT_RECORDS = new Set(['frameworkId', 'agencyId', 'countryCode']);
/** Headers that differ between any two calls (dates, request ids, rate-limit counters). */
const VOLATILE_HEADERS =
  /^(date|x-request-id|request-id|connection|keep-alive|x-response-time|x?-?ratelimit.*|retry-after)$/;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * Probe r53, lead 3 (probe r51's open point): r51 hid only KR's records, and asked KH and MY. Here TH —
 * a member of the multilateral body only, with no record of anyone's — asks with every role about the
 * security world's records of KR, KH and MY, and KH and MY ask about each other's (neither was ever
 * given any of the other's: KH's partner is KR, MY's is KR). Every id slot of every route (a path
 * `{param}`; a query or body id of a route without a path id, where no parent's 404 answers first),
 * with a hidden id and with a never-existing one: status, body, headers, the audit events the asker's
 * auditors read and the notifications written to the asker's country must be the same.
 */
describe('Probe r53: TH, and KH and MY about each other, ask with ids they were never given', () => {
  let t: TestApp;
  let routes: Route[];
  let callers: SignedCaller[];
  let world: World;
  const hidden: Hidden[] = [];
  const actors = new Map<string, { userId: string; roles: Role[]; agencyId: string | null }>();
  const PARTNER: Record<string, string> = { KR: 'KH', KH: 'KR', MY: 'KR' };

  beforeAll(async () => {
    // The whole demo world: the multilateral body joins KR, KH, MY and TH.
    t = await createTestApp({}, {}, 'demo');
    routes = await loadRoutes(t);
    callers = await signInEveryone(t);
    world = await buildWorld(t, callers);
    for (const role of COUNTRY_ROLES)
      callers.push({
        username: `th.${role}`,
        roles: [role],
        country: 'TH',
        http: await signIn(t.server, `th.${role}`),
      });
    // TH's own context for example bodies: the multilateral body, a person and an arrest of its own.
    const th = callers.find((c) => c.username === 'th.officer')!.http;
    const [fw] = await t.dataSource.query(
      `SELECT f.id FROM framework f
        WHERE f.active AND (SELECT count(*) FROM framework_member m
                             WHERE m.framework_id = f.id AND m.country_code IN ('KR', 'TH')) = 2
        ORDER BY f.name LIMIT 1`,
    );
    const person = (
      await th
        .post('/persons', { names: [{ full: 'TH person', script: 'latin', kind: 'primary' }] })
        .expect(201)
    ).body;
    const arrest = (
      await th
        .post(
          '/arrests',
          ROUTE_EXAMPLES['POST /api/v1/arrests']({ ...world.context.KR, partner: 'KR', version: 1 }),
        )
        .expect(201)
    ).body;
    const [officer2] = await t.dataSource.query(
      `SELECT id, agency_id FROM app_user WHERE username = 'th.officer2'`,
    );
    world.context.TH = {
      frameworkId: fw.id,
      partner: 'KR',
      thirdCountry: 'KH',
      personId: person.id,
      officerId: officer2.id,
      agencyId: officer2.agency_id,
      country: 'TH',
      arrestId: arrest.id,
    };
    for (const r of world.records) {
      if (!r.owner || r.global) continue;
      // An identifier check asks the owner's partner, which so learns of it.
      const seenBy = r.kind === 'identifier-check' ? [...r.visibleTo, PARTNER[r.owner]] : r.visibleTo;
      hidden.push({
        kind: r.kind,
        id: r.id,
        label: `${r.owner} ${r.kind}`,
        owner: r.owner,
        hiddenFrom: (c) => !seenBy.includes(c.country ?? ''),
      });
    }
    for (const c of callers) {
      const [u] = await t.dataSource.query(`SELECT id, agency_id FROM app_user WHERE username = $1`, [
        c.username,
      ]);
      actors.set(c.username, { userId: u.id, roles: c.roles as Role[], agencyId: u.agency_id });
    }
  }, 180_000);
  afterAll(() => t?.close());

  /** The slots of every route taking an id, from the OpenAPI document. */
  const slotsOf = async (): Promise<Slot[]> => {
    const doc = (await request(t.server).get('/api/docs-json').expect(200)).body as {
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
  };

  it('answers every id slot alike for another country’s hidden id and a never-existing one (TH; KH↔MY)', async () => {
    const versionOf = await versionLookup(t);
    const slots = (await slotsOf()).filter((s) => s.where === 'path' || !s.route.path.includes('{'));
    /** Who asks about whose records: TH about all three (one owner per slot, in turn), KH and MY about each other. */
    const askers = callers.filter((c) => ['TH', 'KH', 'MY'].includes(c.country ?? ''));
    const ownersFor = (c: SignedCaller, i: number): string[] =>
      c.country === 'TH' ? [['KR', 'KH', 'MY'][i % 3]] : c.country === 'KH' ? ['MY'] : ['KH'];
    const differences: string[] = [];
    let cases = 0;
    const statuses = new Map<number, number>();
    const neverOf = new Map<string, string>();
    const generic = ['case', 'person', 'arrest', 'attachment', 'information-request', 'blacklist-entry'];

    /** One call and what the asker's country could see of it. */
    const ask = async (caller: SignedCaller, slot: Slot, id: string, version: number) => {
      const { route } = slot;
      const ctx = { ...world.context[caller.country!], version };
      let url = route.path.replace('{countryCode}', 'KR');
      if (slot.where === 'path') url = url.replace(`{${slot.name}}`, id);
      // Other path values: a fixed id that never existed, the same for both calls.
      url = url.replace(/\{[A-Za-z]+\}/g, '00000000-0000-4000-8000-000000000051');
      if (slot.where === 'query') {
        const type = slot.name === 'recordId' ? '&recordType=request' : '';
        url += `?${slot.name}=${id}${type}`;
      } else if (route.path === '/api/v1/audit-events/timeline') url += '?recordType=request&recordId=' + id;
      let body: Record<string, unknown> | undefined =
        route.method === 'GET' || route.method === 'DELETE'
          ? undefined
          : { ...(ROUTE_EXAMPLES[route.key]?.(ctx) ?? {}) };
      if (slot.where === 'body') body = { ...body, [slot.name]: slot.name.endsWith('Ids') ? [id] : id };
      const [{ max }] = await t.dataSource.query(`SELECT coalesce(max(id), 0)::text AS max FROM audit_event`);
      const [{ nmax }] = await t.dataSource.query(
        `SELECT count(*)::int AS nmax FROM notification WHERE country_code = $1`,
        [caller.country],
      );
      let req = request(t.server)
        [route.method.toLowerCase() as 'get'](url)
        .set('Authorization', `Bearer ${caller.http.tokens.accessToken}`);
      if (body !== undefined) req = req.set('Content-Type', 'application/json').send(JSON.stringify(body));
      const res = await req;
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
      const stored: Array<Record<string, unknown>> = await t.dataSource.query(
        `SELECT e.action, e.outcome, e.record_type, e.record_id, e.owner_country, e.counterpart_country, e.details
           FROM audit_event e WHERE e.id > $1::bigint AND ${scope} ORDER BY e.id`,
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
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM notification WHERE country_code = $1`,
        [caller.country],
      );
      const headers = Object.fromEntries(
        Object.entries(res.headers).filter(([k]) => !VOLATILE_HEADERS.test(k)),
      );
      const {
        requestId: _r,
        instance: _i,
        ...rest
      } = /json/.test(String(res.headers['content-type'])) && res.body && !Array.isArray(res.body)
        ? res.body
        : { text: res.text ?? null };
      const same = (x: unknown) =>
        JSON.stringify(x ?? null)
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
    };

    for (const [i, slot] of slots.entries()) {
      const kinds = slot.kind ? [slot.kind] : generic;
      for (const caller of askers) {
        const owners = ownersFor(caller, i);
        const candidates = hidden.filter(
          (h) => kinds.includes(h.kind) && owners.includes(h.owner) && h.hiddenFrom(caller),
        );
        // One of each kind: the calls stay bounded.
        const chosen = kinds.map((k) => candidates.find((h) => h.kind === k)!).filter(Boolean);
        for (const h of chosen) {
          const version = slot.where === 'path' ? await versionOf(h.id) : 1;
          const seen = await ask(caller, slot, h.id, version);
          if (!neverOf.has(h.id)) neverOf.set(h.id, randomUUID());
          const none = await ask(caller, slot, neverOf.get(h.id)!, version);
          cases++;
          statuses.set(seen.status, (statuses.get(seen.status) ?? 0) + 1);
          for (const field of ['status', 'headers', 'body', 'events', 'notifications'] as const)
            if (JSON.stringify(seen[field]) !== JSON.stringify(none[field]))
              differences.push(
                `${caller.username} ${slot.route.key} ${slot.where}:${slot.name} = ${h.label}: ${field} ${String(seen[field]).slice(0, 1500)} vs ${String(none[field]).slice(0, 1500)}`,
              );
        }
      }
    }
    console.log(
      `r53 other askers: ${slots.length} slots, ${cases} cases (${[...statuses].map(([s, k]) => `${k} × ${s}`).join(', ')}), ${differences.length} differences`,
    );
    expect(cases).toBeGreaterThan(500);
    expect(differences).toEqual([]);
  }, 600_000);
});
