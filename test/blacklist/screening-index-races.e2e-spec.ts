import { entryKeys } from '../../src/blacklist/entry-keys';
import { raceCounter } from '../security/race-support';
import { keyCounts, proposedAndAccepted } from '../support/blacklist-scenario';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

// Suspects, and the alias the proposing country adds to each while Cambodia decides on the entry.
const SUSPECTS = [
  ['KANG Min-su', 'Sok Dara'],
  ['YOON Ji-hoon', 'Chan Vannak'],
  ['LIM Tae-woo', 'Keo Sambath'],
  ['HAN Seung-ho', 'Meas Rithy'],
  ['OH Dong-hyun', 'Heng Sovann'],
  ['SEO Jun-young', 'Prak Chanthou'],
] as const;
const ACTIVATE = { legalBasis: 'Immigration Law art. 29', expiresOn: '2031-12-31' };

describe('Screening index under concurrent changes of an entry and of its person', () => {
  let t: TestApp;
  let tf: TaskForce;
  let khScreener: SignedIn;
  const races = raceCounter('screening index races');

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    khScreener = await signIn(t.server, 'kh.screener');
  });
  afterAll(async () => {
    races.report();
    await t?.close();
  });

  async function proposed() {
    const { proposal } = await proposedAndAccepted(tf, {
      frameworkId: tf.cambodiaKoreaFramework,
      banningCountry: 'KH',
      subject: 'Recruiters of the Golden Fortune compound',
      entries: SUSPECTS.map(([name]) => ({
        person: { names: [{ full: name, script: 'latin', kind: 'primary' }], nationalities: ['KR'] },
        grounds: 'Recruiter for the compound.',
        groundsSummary: 'Recruiter',
      })),
    });
    return proposal.entries as Array<{ id: string; version: number }>;
  }

  /**
   * KR's officer adding the alias to the entry's person: the PATCH, ready to be sent (a supertest call
   * is sent when awaited, so it is returned inside a function, not from this async function).
   */
  async function aliasAdded(entryId: string, alias: string) {
    const [{ person_id: personId }] = await t.dataSource.query(
      `SELECT person_id FROM blacklist_entry WHERE id = $1`,
      [entryId],
    );
    const person = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;
    return () =>
      tf['kr.officer'].patch(`/persons/${personId}`, {
        names: [...person.names, { full: alias, script: 'latin', kind: 'alias' }],
        nationalities: person.nationalities,
        version: person.version,
      });
  }

  /** The entry's stored keys, and the keys its person has now. */
  async function keysOf(entryId: string) {
    const stored = await t.dataSource.query(
      `SELECT key FROM blacklist_search_key WHERE entry_id = $1 ORDER BY key`,
      [entryId],
    );
    const [person] = await t.dataSource.query(
      `SELECT p.names, p.documents FROM person p JOIN blacklist_entry e ON e.person_id = p.id WHERE e.id = $1`,
      [entryId],
    );
    return { stored: stored.map((r: { key: string }) => r.key), current: entryKeys(person).sort() };
  }

  const screenedEntries = async (name: string) =>
    (
      await khScreener
        .post('/screenings', { checkpoint: 'BAVET-BORDER', names: [{ full: name }] })
        .expect(201)
    ).body.candidates.map((c: { entry: { entryId: string } }) => c.entry.entryId);

  it('an alias added while the entry is being activated is found: the keys follow the last person', async () => {
    const entries = await proposed();
    for (const [i, entry] of entries.entries()) {
      const alias = SUSPECTS[i]![1];
      const addAlias = await aliasAdded(entry.id, alias);
      const [activated, changed] = await races.burst([
        tf['kh.liaison'].post(`/blacklist-entries/${entry.id}/activate`, {
          version: entry.version,
          ...ACTIVATE,
        }),
        addAlias(),
      ]);
      expect([activated.status, changed.status]).toEqual([200, 200]);
      const { stored, current } = await keysOf(entry.id);
      expect(stored).toEqual(current);
      expect(await screenedEntries(alias)).toEqual([entry.id]);
    }
  });

  it('an alias added while the entry is being lifted leaves no key, profile or count behind', async () => {
    const entries = await proposed();
    for (const entry of entries) {
      await tf['kh.liaison']
        .post(`/blacklist-entries/${entry.id}/activate`, { version: entry.version, ...ACTIVATE })
        .expect(200);
    }
    for (const [i, entry] of entries.entries()) {
      const addAlias = await aliasAdded(entry.id, `${SUSPECTS[i]![1]} Lifted`);
      const [lifted, changed] = await races.burst([
        tf['kh.liaison'].post(`/blacklist-entries/${entry.id}/lift`, {
          version: entry.version + 1,
          reason: 'Arrested in Korea',
        }),
        addAlias(),
      ]);
      expect([lifted.status, changed.status]).toEqual([200, 200]);
      expect((await keysOf(entry.id)).stored).toEqual([]);
      const profiles = await t.dataSource.query(
        `SELECT 1 FROM blacklist_screening_profile WHERE entry_id = $1`,
        [entry.id],
      );
      expect(profiles).toEqual([]);
    }
    const { counted, held } = await keyCounts(t.dataSource);
    expect(counted).toEqual(held);
  });
});
