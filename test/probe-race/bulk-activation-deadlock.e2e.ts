import { createTestApp, TestApp } from '../support/test-app';
import { taskForce, TaskForce } from '../support/scenario';
import { proposedAndAccepted } from '../support/blacklist-scenario';

/**
 * Probe race: KH's two liaisons activate overlapping sets of a proposal's entries at once
 * (`POST /blacklist-entries/activate`), each listing the entries in its own order. All or nothing, so
 * of overlapping sets one wins and the others get 409. But `activateMany`
 * (src/blacklist/blacklist.service.ts) decides the entries in the caller's order, each update locking
 * its row: two calls that list shared entries in different orders wait on each other, PostgreSQL kills
 * one with `deadlock detected`, the transaction is re-run (at most 5 attempts), deadlocks again, and the
 * caller gets a 500 (logged: QueryFailedError "deadlock detected") after tens of seconds.
 */
describe('Overlapping bulk activations at once', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  /** Deterministic shuffles (a seeded Fisher–Yates): each caller lists them in another order. */
  const orderFor = <T>(items: T[], seed: number) => {
    let state = seed * 2654435761;
    const next = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };

  it('one activation wins each overlap, the others get 409, none a 500; each active entry has one activation event', async () => {
    const statuses: string[] = [];
    for (let round = 0; round < 4; round++) {
      const entries = Array.from({ length: 20 }, (_, i) => ({
        person: {
          names: [{ full: `KIM Min-jun ${round}-${i}`, script: 'latin', kind: 'primary' }],
          nationalities: ['KR'],
        },
        grounds: 'Recruiter for the compound',
        groundsSummary: 'Recruiter',
      }));
      const { proposal } = await proposedAndAccepted(tf, {
        frameworkId: tf.cambodiaKoreaFramework,
        banningCountry: 'KH',
        subject: 'Recruiters',
        entries,
      });
      const all: Array<{ id: string; version: number }> = proposal.entries.map(
        (e: { id: string; version: number }) => ({ id: e.id, version: e.version }),
      );
      const sets = Array.from({ length: 8 }, (_, caller) =>
        orderFor(all, round * 10 + caller + 1).slice(0, 12),
      );
      const responses = await Promise.all(
        sets.map((set, caller) =>
          tf[caller % 2 ? 'kh.liaison' : 'kh.liaison2'].post('/blacklist-entries/activate', {
            entries: set,
            legalBasis: 'Immigration Law art. 29',
            expiresOn: '2031-12-31',
          }),
        ),
      );

      statuses.push(
        responses
          .map((r) => r.status)
          .sort()
          .join(' '),
      );
      // Every two sets overlap (12 of 20 each): at most one call wins.
      const winner = sets[responses.findIndex((r) => r.status === 200)] ?? [];
      const active = await t.dataSource.query(
        `SELECT id FROM blacklist_entry WHERE id = ANY($1) AND status = 'active' ORDER BY id`,
        [all.map((e: { id: string }) => e.id)],
      );
      expect(active.map((r: { id: string }) => r.id)).toEqual(winner.map((e) => e.id).sort());
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_event
          WHERE action = 'blacklist.entry.activate' AND outcome = 'success' AND record_id = ANY($1)`,
        [all.map((e: { id: string }) => e.id)],
      );
      expect(n).toBe(winner.length);
    }
    // Each round: exactly one 200, seven 409s, no 500.
    expect(statuses).toEqual(Array(4).fill('200 409 409 409 409 409 409 409'));
  }, 600_000);
});
