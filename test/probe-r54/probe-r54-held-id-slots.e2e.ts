import request from 'supertest';
import { createTestApp, TestApp } from '../support/test-app';
import { ROUTE_EXAMPLES } from '../security/route-examples';
import {
  buildWorld,
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

/**
 * Probe r54 (probe r51's download hold and r54's batch activation, swept): every id slot of every route
 * (r51's slots: path, query and top-level body ids), asked by every role of KH and MY with each of KR's records
 * KH may not read while that record's row is held `FOR UPDATE` by another transaction (its owner changing
 * it, in flight). An id that never existed answers at once; so must these: a call that waits tells the
 * caller the id is a record's (and that its owner is at work on it), and one that locks it holds the owner.
 */
describe('Probe r54: no route waits on a row of a record the caller may not read', () => {
  let t: TestApp;
  let routes: Route[];
  let callers: SignedCaller[];
  let world: World;
  const hidden: Hidden[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    routes = await loadRoutes(t);
    callers = await signInEveryone(t);
    world = await buildWorld(t, callers);
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

  it('answers every id slot, for every role of KH and MY, at once while KR’s unshared record is held', async () => {
    const versionOf = await versionLookup(t);
    const slots = await slotsOf();
    const askers = callers.filter((c) => c.country === 'KH' || c.country === 'MY');
    const generic = ['case', 'person', 'arrest', 'attachment', 'information-request', 'blacklist-entry'];
    // Which table holds each hidden id.
    const tables: Array<{ table_name: string }> = await t.dataSource.query(
      `SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t
          ON t.table_name = c.table_name AND t.table_schema = c.table_schema AND t.table_type = 'BASE TABLE'
        WHERE c.table_schema = current_schema() AND c.column_name = 'id' AND c.data_type = 'uuid'`,
    );
    const tableOf = new Map<string, string>();
    for (const h of hidden)
      for (const { table_name } of tables)
        if ((await t.dataSource.query(`SELECT 1 FROM "${table_name}" WHERE id = $1`, [h.id])).length)
          tableOf.set(h.id, table_name);
    expect(hidden.filter((h) => !tableOf.has(h.id))).toEqual([]);

    const waited: string[] = [];
    let cases = 0;
    for (const slot of slots) {
      const { route } = slot;
      const kinds = slot.kind ? [slot.kind] : generic;
      for (const caller of askers) {
        const candidates = hidden.filter((h) => kinds.includes(h.kind) && h.hiddenFrom(caller));
        const chosen = slot.kind
          ? candidates
          : kinds.map((k) => candidates.find((h) => h.kind === k)!).filter(Boolean);
        for (const h of chosen) {
          const version = slot.where === 'path' ? await versionOf(h.id) : 1;
          const ctx = { ...world.context[caller.country!], version };
          let url = route.path.replace('{countryCode}', 'KR');
          if (slot.where === 'path') url = url.replace(`{${slot.name}}`, h.id);
          url = url.replace(/\{[A-Za-z]+\}/g, '00000000-0000-4000-8000-000000000054');
          if (slot.where === 'query') {
            const type = slot.name === 'recordId' ? '&recordType=request' : '';
            url += `?${slot.name}=${h.id}${type}`;
          } else if (route.path === '/api/v1/audit-events/timeline')
            url += '?recordType=request&recordId=' + h.id;
          let body: Record<string, unknown> | undefined =
            route.method === 'GET' || route.method === 'DELETE'
              ? undefined
              : { ...(ROUTE_EXAMPLES[route.key]?.(ctx) ?? {}) };
          if (slot.where === 'body')
            body = { ...body, [slot.name]: slot.name.endsWith('Ids') ? [h.id] : h.id };
          const holder = t.dataSource.createQueryRunner();
          await holder.connect();
          await holder.startTransaction();
          try {
            await holder.query(`SELECT 1 FROM "${tableOf.get(h.id)}" WHERE id = $1 FOR UPDATE`, [h.id]);
            let req = request(t.server)
              [route.method.toLowerCase() as 'get'](url)
              .set('Authorization', `Bearer ${caller.http.tokens.accessToken}`);
            if (body !== undefined)
              req = req.set('Content-Type', 'application/json').send(JSON.stringify(body));
            const answer = await req.timeout(3000).then(
              (res) => res.status,
              (err: Error & { timeout?: number }) => (err.timeout ? 'timed out' : err.message),
            );
            cases++;
            if (typeof answer !== 'number')
              waited.push(
                `${caller.username} ${route.key} ${slot.where}:${slot.name} = ${h.label}: ${answer}`,
              );
          } finally {
            await holder.rollbackTransaction();
            await holder.release();
          }
        }
      }
    }
    console.log(`r54 held id slots: ${slots.length} slots, ${cases} cases, ${waited.length} waited`);
    expect(cases).toBeGreaterThan(500);
    expect(waited).toEqual([]);
  }, 600_000);
});
