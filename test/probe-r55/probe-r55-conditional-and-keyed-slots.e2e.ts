import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { auditEventScope, positional } from '../../src/access/scopes';
import { createTestApp, TestApp } from '../support/test-app';
import {
  Actor,
  actorsOf,
  askersOfSlot,
  firstOfEachKind,
  GENERIC_KINDS,
  Hidden,
  idSlotsOf,
  krUnsharedRecords,
  Slot,
  slotCall,
  UUID,
  VOLATILE_HEADERS,
} from '../security/id-slot-sweep';
import {
  buildWorld,
  loadRoutes,
  Route,
  SignedCaller,
  signInEveryone,
  versionLookup,
  World,
} from '../security/security-support';

/**
 * Probe r55: the id-slot sweep of probe r51 asked only plain requests. Here the same slots are asked
 * with what a client may add to a request and the server might act on before the record's rule: a HEAD
 * instead of each GET; conditional and range headers on each GET (`If-None-Match: *`, `If-Match`,
 * `If-Modified-Since`, `Range`, `If-Range`); and an `Idempotency-Key` on each POST (a keyed create runs
 * inside the interceptor's own transaction, so its refusals and their audit events take another path).
 * An unshared KR id and a never-existing id must be answered alike: status, headers (ETag,
 * Content-Length, Content-Range, Cache-Control …), body, the audit events the asker's country reads of
 * the call, the notifications it got.
 */
type Variant = { name: string; method?: 'HEAD'; headers: (call: number) => Record<string, string> };

const GET_VARIANTS: Variant[] = [
  { name: 'HEAD', method: 'HEAD', headers: () => ({}) },
  {
    name: 'conditional',
    headers: () => ({
      'If-None-Match': '*',
      'If-Match': '"0000000000000000000000000000000000000000000000000000000000000000"',
      'If-Modified-Since': 'Thu, 01 Jan 2015 00:00:00 GMT',
    }),
  },
  { name: 'range', headers: () => ({ Range: 'bytes=0-0', 'If-Range': '"x"' }) },
  { name: 'range-beyond', headers: () => ({ Range: 'bytes=999999999-' }) },
];
const POST_VARIANTS: Variant[] = [
  { name: 'keyed', headers: (call) => ({ 'Idempotency-Key': `probe-r55-${call}-${randomUUID()}` }) },
];

interface Seen {
  status: number;
  headers: string;
  body: string;
  events: string;
  notifications: number;
}

async function ask(
  t: TestApp,
  world: World,
  actors: Map<string, Actor>,
  caller: SignedCaller,
  slot: Slot,
  variant: Variant,
  id: string,
  version: number,
  call: number,
): Promise<Seen> {
  const { url, body } = slotCall(world, caller, slot, id, version, '00000000-0000-4000-8000-000000000055');
  const [{ max }] = await t.dataSource.query(`SELECT coalesce(max(id), 0)::text AS max FROM audit_event`);
  const count = async () =>
    (
      await t.dataSource.query(`SELECT count(*)::int AS n FROM notification WHERE country_code = $1`, [
        caller.country,
      ])
    )[0].n as number;
  const before = await count();
  const method = (variant.method ?? slot.route.method).toLowerCase() as 'get';
  let req = request(t.server)[method](url).set('Authorization', `Bearer ${caller.http.tokens.accessToken}`);
  for (const [k, v] of Object.entries(variant.headers(call))) req = req.set(k, v);
  if (body !== undefined) req = req.set('Content-Type', 'application/json').send(JSON.stringify(body));
  const res = await req;
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
  const events = stored.map((e) =>
    e.action === 'access.denied' &&
    (e.details as { reason?: string } | null)?.reason === 'not-visible' &&
    e.owner_country !== caller.country
      ? { ...e, owner_country: null }
      : e,
  );
  const json = /json/.test(String(res.headers['content-type']));
  // A JSON body is compared as read below; its length would only repeat the trail's own seals and times.
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
  // The asker's own reads of the trail differ between any two calls (their names, times, request ids and
  // whether the sealer has sealed them yet): these sweeps ask one id several times.
  const volatile = new Set(['seal', 'occurredAt', 'requestId']);
  const same = (x: unknown) =>
    JSON.stringify(x ?? null, (k, v: unknown) =>
      volatile.has(k) ? undefined : typeof v === 'string' && /^evt_/.test(v) ? '<event>' : v,
    )
      .split(id)
      .join('<ASKED>')
      .replace(/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z/g, '<time>');
  return {
    status: res.status,
    headers: same(headers),
    body: same(rest),
    events: same(events).replace(UUID, '<uuid>'),
    notifications: (await count()) - before,
  };
}

describe('Probe r55: HEAD, conditional, range and keyed requests answer an unshared id as a never-existing one', () => {
  let t: TestApp;
  let routes: Route[];
  let callers: SignedCaller[];
  let world: World;
  let hidden: Hidden[];
  let actors: Map<string, Actor>;

  beforeAll(async () => {
    t = await createTestApp();
    routes = await loadRoutes(t);
    callers = await signInEveryone(t);
    world = await buildWorld(t, callers);
    hidden = await krUnsharedRecords(t, callers, world);
    actors = await actorsOf(t, callers);
  }, 180_000);
  afterAll(() => t?.close());

  it('answers every GET slot (as HEAD, conditional, ranged) and every POST slot (keyed) alike', async () => {
    const versionOf = await versionLookup(t);
    const slots = (await idSlotsOf(t.server, routes)).filter(
      (s) => (s.route.method === 'GET' && s.where !== 'body') || s.route.method === 'POST',
    );
    const askers = callers.filter((c) => c.country === 'KH' || c.country === 'MY');
    const differences: string[] = [];
    const statuses = new Map<string, number>();
    const neverOf = new Map<string, string>();
    let cases = 0;
    let call = 0;
    for (const [i, slot] of slots.entries()) {
      const variants = slot.route.method === 'GET' ? GET_VARIANTS : POST_VARIANTS;
      const kinds = slot.kind ? [slot.kind] : GENERIC_KINDS;
      for (const caller of askersOfSlot(askers, i)) {
        const candidates = hidden.filter((h) => kinds.includes(h.kind) && h.hiddenFrom(caller));
        for (const h of slot.kind ? candidates : firstOfEachKind(kinds, candidates)) {
          const version = slot.where === 'path' ? await versionOf(h.id) : 1;
          if (!neverOf.has(h.id)) neverOf.set(h.id, randomUUID());
          for (const variant of variants) {
            const seen = await ask(t, world, actors, caller, slot, variant, h.id, version, call++);
            const none = await ask(
              t,
              world,
              actors,
              caller,
              slot,
              variant,
              neverOf.get(h.id)!,
              version,
              call++,
            );
            cases++;
            const key = `${variant.name} ${seen.status}`;
            statuses.set(key, (statuses.get(key) ?? 0) + 1);
            for (const field of ['status', 'headers', 'body', 'events', 'notifications'] as const)
              if (JSON.stringify(seen[field]) !== JSON.stringify(none[field]))
                differences.push(
                  `${caller.username} ${variant.name} ${slot.route.key} ${slot.where}:${slot.name} = ${h.label}: ${field} ${String(seen[field]).slice(0, 600)} vs ${String(none[field]).slice(0, 600)}`,
                );
          }
        }
      }
    }
    console.log(
      `r55 variants: ${slots.length} slots, ${cases} cases (${[...statuses].map(([s, k]) => `${k} × ${s}`).join(', ')}), ${differences.length} differences`,
    );
    expect(cases).toBeGreaterThan(500);
    expect(differences).toEqual([]);
  }, 1_500_000);
});
