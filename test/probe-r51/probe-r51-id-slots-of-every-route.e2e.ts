import { createTestApp, TestApp } from '../support/test-app';
import {
  Actor,
  actorsOf,
  firstOfEachKind,
  Hidden,
  idSlotsOf,
  krUnsharedRecords,
  sweepHiddenAgainstNever,
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
 * Probe r51: every route of the app's own OpenAPI document that takes an id — in its path, its query or
 * its JSON body — asked by every role of KH and of MY in turn (`askersOfSlot`) with (a) an id of KR's that was never shared with
 * their country (a draft, a draft withdrawn before sending, a RED request and its file for all but KH's
 * liaison, every record of the security world KR kept to itself) and (b) an id that never existed.
 * The two answers must be the same: status, body (but the request id and the asked id itself), every
 * header that is not a date or a counter (ETag, Location, Content-Length, Content-Type, …), and the audit
 * events and notifications the call wrote that the asker's country reads.
 */
describe('Probe r51: an unshared id in any slot of any route is answered as one that never existed', () => {
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

  it('answers every id slot, for every role, of KH and MY in turn, alike for an unshared KR id and a never-existing one', async () => {
    const versionOf = await versionLookup(t);
    const slots = await idSlotsOf(t.server, routes);
    const askers = callers.filter((c) => c.country === 'KH' || c.country === 'MY');
    const { cases, statuses, differences } = await sweepHiddenAgainstNever(
      t,
      world,
      actors,
      versionOf,
      slots,
      askers,
      (slot, _i, caller, kinds) => {
        const candidates = hidden.filter((h) => kinds.includes(h.kind) && h.hiddenFrom(caller));
        // Of a kind with many: the extras and the first of the world's, to bound the calls.
        return slot.kind ? candidates : firstOfEachKind(kinds, candidates);
      },
      3000,
    );
    console.log(
      `r51 id slots: ${slots.length} slots, ${cases} cases (${[...statuses].map(([s, k]) => `${k} × ${s}`).join(', ')}), ${differences.length} differences`,
    );
    expect(slots.length).toBeGreaterThan(150);
    expect(cases).toBeGreaterThan(1000);
    expect(differences).toEqual([]);
  }, 1_500_000);
});
