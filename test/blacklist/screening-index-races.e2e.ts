import { BlacklistAmendmentsService } from '../../src/blacklist/blacklist-amendments.service';
import { entryKeys } from '../../src/screening/entry-keys';
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

describe('Screening index under concurrent changes of an entry, its amendments and its person', () => {
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
   * KR's officer adding the alias to the entry's person, then the background job proposing the
   * amendments the edit queued (as it runs once the edit commits): ready to be started (a supertest call
   * is sent when awaited, so it is returned inside a function, not from this async function).
   */
  async function aliasAdded(entryId: string, alias: string) {
    const [{ person_id: personId }] = await t.dataSource.query(
      `SELECT person_id FROM blacklist_entry WHERE id = $1`,
      [entryId],
    );
    const person = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;
    return async () => {
      const edited = await tf['kr.officer'].patch(`/persons/${personId}`, {
        names: [...person.names, { full: alias, script: 'latin', kind: 'alias' }],
        nationalities: person.nationalities,
        version: person.version,
      });
      await t.app.get(BlacklistAmendmentsService).runPending();
      return edited;
    };
  }

  /** The entry's stored keys, and the keys of its identity (the banning country's copy) now. */
  async function keysOf(entryId: string) {
    const stored = await t.dataSource.query(
      `SELECT key FROM blacklist_search_key WHERE entry_id = $1 ORDER BY key`,
      [entryId],
    );
    const [entry] = await t.dataSource.query(
      `SELECT identity_names AS names, identity_documents AS documents FROM blacklist_entry WHERE id = $1`,
      [entryId],
    );
    return { stored: stored.map((r: { key: string }) => r.key), current: entryKeys(entry).sort() };
  }

  /**
   * No change of the person is lost: the entry's identity is the person's as it now is, or a pending
   * amendment (exactly one) carries it. Returns that amendment, if any.
   */
  async function personChangeKept(entryId: string) {
    const [row] = await t.dataSource.query(
      `SELECT p.names AS person_names, e.identity_names AS entry_names
         FROM blacklist_entry e JOIN person p ON p.id = e.person_id WHERE e.id = $1`,
      [entryId],
    );
    const pending = await t.dataSource.query(
      `SELECT id, names, version FROM blacklist_entry_amendment WHERE entry_id = $1 AND status = 'pending'`,
      [entryId],
    );
    const fullNames = (names: Array<{ full: string }>) => names.map((n) => n.full);
    if (pending.length === 0) expect(fullNames(row.entry_names)).toEqual(fullNames(row.person_names));
    else {
      expect(pending).toHaveLength(1);
      expect(fullNames(pending[0].names)).toEqual(fullNames(row.person_names));
    }
    return pending[0] as { id: string; version: number } | undefined;
  }

  const screenedEntries = async (name: string) =>
    (
      await khScreener
        .post('/screenings', { checkpoint: 'BAVET-BORDER', names: [{ full: name }] })
        .expect(201)
    ).body.candidates.map((c: { entry: { entryId: string } }) => c.entry.entryId);

  it('an alias added while the entry is being activated is never lost: copied, or waiting as an amendment', async () => {
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
      const amendment = await personChangeKept(entry.id);
      if (amendment) {
        expect(await screenedEntries(alias)).toEqual([]); // Cambodia has not accepted it yet
        await tf['kh.liaison']
          .post(`/blacklist-entries/${entry.id}/amendments/${amendment.id}/accept`, {
            version: amendment.version,
          })
          .expect(200);
      }
      expect(await screenedEntries(alias)).toEqual([entry.id]);
      const after = await keysOf(entry.id);
      expect(after.stored).toEqual(after.current);
    }
  });

  it('an amendment accepted while the person changes again: the entry has what was accepted, the new change waits', async () => {
    const entries = await proposed();
    for (const entry of entries) {
      await tf['kh.liaison']
        .post(`/blacklist-entries/${entry.id}/activate`, { version: entry.version, ...ACTIVATE })
        .expect(200);
    }
    for (const [i, entry] of entries.entries()) {
      expect((await (await aliasAdded(entry.id, `${SUSPECTS[i]![1]} First`))()).status).toBe(200);
      const amendment = (await personChangeKept(entry.id))!;
      const addAgain = await aliasAdded(entry.id, `${SUSPECTS[i]![1]} Second`);
      const [accepted, changed] = await races.burst([
        tf['kh.liaison'].post(`/blacklist-entries/${entry.id}/amendments/${amendment.id}/accept`, {}),
        addAgain(),
      ]);
      expect(changed.status).toBe(200);
      // Accepted before the change superseded it (200), or superseded first (409): never both.
      expect([200, 409]).toContain(accepted.status);
      const { stored, current } = await keysOf(entry.id);
      expect(stored).toEqual(current);
      const pending = await personChangeKept(entry.id);
      expect(pending).toBeDefined(); // the second alias waits for Cambodia either way
    }
    const { counted, held } = await keyCounts(t.dataSource);
    expect(counted).toEqual(held);
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
      // An amendment proposed just before the lift cannot put the lifted entry back in the index.
      const [pending] = await t.dataSource.query(
        `SELECT id FROM blacklist_entry_amendment WHERE entry_id = $1 AND status = 'pending'`,
        [entry.id],
      );
      if (pending)
        await tf['kh.liaison']
          .post(`/blacklist-entries/${entry.id}/amendments/${pending.id}/accept`, {})
          .expect(409);
      expect((await keysOf(entry.id)).stored).toEqual([]);
    }
    const { counted, held } = await keyCounts(t.dataSource);
    expect(counted).toEqual(held);
  });

  it('an amendment accepted while the entry is being lifted: one wins, and a lifted entry holds no key', async () => {
    const entries = await proposed();
    for (const entry of entries) {
      await tf['kh.liaison']
        .post(`/blacklist-entries/${entry.id}/activate`, { version: entry.version, ...ACTIVATE })
        .expect(200);
    }
    for (const [i, entry] of entries.entries()) {
      expect((await (await aliasAdded(entry.id, `${SUSPECTS[i]![1]} Accepted`))()).status).toBe(200);
      const amendment = (await personChangeKept(entry.id))!;
      const [accepted, lifted] = await races.burst([
        tf['kh.liaison'].post(`/blacklist-entries/${entry.id}/amendments/${amendment.id}/accept`, {}),
        tf['kh.liaison'].post(`/blacklist-entries/${entry.id}/lift`, {
          version: entry.version + 1,
          reason: 'Arrested in Korea',
        }),
      ]);
      // The accept changes the entry's version, so a lift sent with the version before it conflicts.
      expect([accepted.status, lifted.status].sort()).toEqual([200, 409]);
      const [row] = await t.dataSource.query(`SELECT status FROM blacklist_entry WHERE id = $1`, [entry.id]);
      const { stored, current } = await keysOf(entry.id);
      expect(stored).toEqual(row.status === 'lifted' ? [] : current);
    }
    const { counted, held } = await keyCounts(t.dataSource);
    expect(counted).toEqual(held);
  });
});
