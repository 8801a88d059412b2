import { randomUUID } from 'node:crypto';
import { createTestApp, TestApp } from '../support/test-app';
import {
  Actor,
  actorsOf,
  askersOfSlot,
  askSlot,
  firstOfEachKind,
  GENERIC_KINDS,
  Hidden,
  idSlotsOf,
  krUnsharedRecords,
  SlotVariant,
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
            const asked = (): SlotVariant => ({
              method: variant.method,
              headers: variant.headers(call++),
              askedAgain: true,
            });
            const seen = await askSlot(t, world, actors, caller, slot, h.id, version, asked());
            const none = await askSlot(t, world, actors, caller, slot, neverOf.get(h.id)!, version, asked());
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
