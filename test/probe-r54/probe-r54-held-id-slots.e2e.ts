import { createTestApp, TestApp } from '../support/test-app';
import {
  askersOfSlot,
  firstOfEachKind,
  GENERIC_KINDS,
  Hidden,
  idSlotsOf,
  krUnsharedRecords,
  slotCall,
  slotRequest,
} from '../security/id-slot-sweep';
import {
  buildWorld,
  loadRoutes,
  Route,
  SignedCaller,
  signInEveryone,
  versionSnapshot,
  World,
} from '../security/security-support';

/**
 * Probe r54 (probe r51's download hold and r54's batch activation, swept): every id slot of every route
 * (r51's slots: path, query and top-level body ids), asked by every role of KH and of MY in turn (`askersOfSlot`) with each of KR's records
 * KH may not read while that record's row is held `FOR UPDATE` by another transaction (its owner changing
 * it, in flight). An id that never existed answers at once; so must these: a call that waits tells the
 * caller the id is a record's (and that its owner is at work on it), and one that locks it holds the owner.
 */
describe('Probe r54: no route waits on a row of a record the caller may not read', () => {
  let t: TestApp;
  let routes: Route[];
  let callers: SignedCaller[];
  let world: World;
  let hidden: Hidden[];

  beforeAll(async () => {
    t = await createTestApp();
    routes = await loadRoutes(t);
    callers = await signInEveryone(t);
    world = await buildWorld(t, callers);
    hidden = await krUnsharedRecords(t, callers, world);
  }, 180_000);
  afterAll(() => t?.close());

  it('answers every id slot, for every role, of KH and MY in turn, at once while KR’s unshared record is held', async () => {
    // KR's records hidden from every asker: no asker's call may change one (its version read once).
    const versionOf = await versionSnapshot(t);
    const slots = await idSlotsOf(t.server, routes);
    const askers = callers.filter((c) => c.country === 'KH' || c.country === 'MY');
    // Which table holds each hidden id.
    const tables: Array<{ table_name: string }> = await t.dataSource.query(
      `SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t
          ON t.table_name = c.table_name AND t.table_schema = c.table_schema AND t.table_type = 'BASE TABLE'
        WHERE c.table_schema = current_schema() AND c.column_name = 'id' AND c.data_type = 'uuid'`,
    );
    const tableOf = new Map<string, string>();
    const ids = hidden.map((h) => h.id);
    for (const { table_name } of tables)
      for (const { id } of await t.dataSource.query(`SELECT id FROM "${table_name}" WHERE id = ANY($1)`, [
        ids,
      ]))
        tableOf.set(id, table_name);
    expect(hidden.filter((h) => !tableOf.has(h.id))).toEqual([]);

    const waited: string[] = [];
    let cases = 0;
    for (const [i, slot] of slots.entries()) {
      const { route } = slot;
      const kinds = slot.kind ? [slot.kind] : GENERIC_KINDS;
      for (const caller of askersOfSlot(askers, i)) {
        const candidates = hidden.filter((h) => kinds.includes(h.kind) && h.hiddenFrom(caller));
        const chosen = slot.kind ? candidates : firstOfEachKind(kinds, candidates);
        for (const h of chosen) {
          const version = slot.where === 'path' ? versionOf(h.id) : 1;
          const { url, body } = slotCall(
            world,
            caller,
            slot,
            h.id,
            version,
            '00000000-0000-4000-8000-000000000054',
          );
          const holder = t.dataSource.createQueryRunner();
          await holder.connect();
          await holder.startTransaction();
          try {
            await holder.query(`SELECT 1 FROM "${tableOf.get(h.id)}" WHERE id = $1 FOR UPDATE`, [h.id]);
            const answer = await slotRequest(t.server, caller, route, url, body)
              .timeout(3000)
              .then(
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
