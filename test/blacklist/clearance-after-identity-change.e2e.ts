import { BlacklistAmendmentsService } from '../../src/blacklist/blacklist-amendments.service';
import { CandidateEntryIdentity1763801250000 } from '../../migrations/1763801250000-CandidateEntryIdentity';
import { createTestApp, TestApp } from '../support/test-app';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { proposedAndAccepted } from '../support/blacklist-scenario';

/**
 * A screener's clearance ("not the same person") is of the entry as it then was. Once the banning
 * country accepts an amendment that changes the entry's identity (names, date of birth, nationalities,
 * sex, documents), the same traveller may now be that person: the clearance no longer counts, and the
 * next screening of the traveller's document shows the candidate as not previously cleared. Nothing
 * changed, or an amendment rejected: it still counts. A clearance made after the change counts again.
 */

const sokPheap = {
  names: [{ full: 'SOK Pheap', family: 'Sok', given: 'Pheap', script: 'latin', kind: 'primary' }],
  birthDate: '1987-05-20',
  nationalities: ['KH'],
  sex: 'male',
  documents: [{ type: 'passport', number: 'N01234567', issuingCountry: 'KH' }],
};
const chanDara = {
  names: [{ full: 'CHAN Dara', family: 'Chan', given: 'Dara', script: 'latin', kind: 'primary' }],
  birthDate: '1979-01-09',
  nationalities: ['KH'],
  sex: 'male',
  documents: [{ type: 'passport', number: 'N07654321', issuingCountry: 'KH' }],
};

describe('A clearance counts only while the entry keeps the identity it was cleared against', () => {
  let t: TestApp;
  let tf: TaskForce;
  let khScreener: SignedIn;
  const entries = { sok: '', chan: '' };
  const persons = { sok: '', chan: '' };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    khScreener = await signIn(t.server, 'kh.screener');
    const { proposal } = await proposedAndAccepted(tf, {
      frameworkId: tf.cambodiaKoreaFramework,
      banningCountry: 'KH',
      entries: [
        { person: sokPheap, grounds: 'Runs a scam compound.', groundsSummary: 'Compound boss' },
        { person: chanDara, grounds: 'Launders for the compound.', groundsSummary: 'Money launderer' },
      ],
    });
    [entries.sok, entries.chan] = proposal.entries.map((e: { id: string }) => e.id);
    for (const key of ['sok', 'chan'] as const) {
      await tf['kh.liaison']
        .post(`/blacklist-entries/${entries[key]}/activate`, {
          version: 1,
          legalBasis: 'Immigration Law art. 29',
          expiresOn: '2031-12-31',
        })
        .expect(200);
      [{ person_id: persons[key] }] = await t.dataSource.query(
        `SELECT person_id FROM blacklist_entry WHERE id = $1`,
        [entries[key]],
      );
    }
  }, 120_000);
  afterAll(() => t?.close());

  /** KH screens the traveller; the candidate on `entryId`, as answered and as read back. */
  const screen = async (traveller: object, entryId: string) => {
    const answer = (
      await khScreener.post('/screenings', { checkpoint: 'PNH-AIRPORT-ARR-2', ...traveller }).expect(201)
    ).body;
    const reread = (await khScreener.get(`/screenings/${answer.id}`).expect(200)).body;
    const of = (s: { candidates: Array<{ entry: { entryId: string } }> }) =>
      s.candidates.find((c) => c.entry.entryId === entryId) as
        { id: string; previouslyCleared: boolean; entry: { entryId: string } } | undefined;
    expect(of(answer)).toBeDefined();
    expect(of(reread)).toEqual(of(answer));
    return { screeningId: answer.id as string, candidate: of(answer)! };
  };
  const clear = (s: { screeningId: string; candidate: { id: string } }) =>
    khScreener
      .post(`/screenings/${s.screeningId}/candidates/${s.candidate.id}/decision`, {
        decision: 'cleared',
        reason: 'Different face; the passport photo is not him',
      })
      .expect(200);

  /** KR edits its person; the amendment job proposes it to KH; KH's liaison accepts or rejects it. */
  async function amend(key: 'sok' | 'chan', change: object, decision: 'accept' | 'reject') {
    const person = (await tf['kr.officer'].get(`/persons/${persons[key]}`).expect(200)).body;
    const current = key === 'sok' ? sokPheap : chanDara;
    await tf['kr.officer']
      .patch(`/persons/${persons[key]}`, { ...current, ...change, version: person.version })
      .expect(200);
    await t.app.get(BlacklistAmendmentsService).runPending();
    const [pending] = (
      await tf['kh.liaison'].get(`/blacklist-entries/${entries[key]}/amendments?status=pending`).expect(200)
    ).body;
    expect(pending).toBeDefined();
    await tf['kh.liaison']
      .post(`/blacklist-entries/${entries[key]}/amendments/${pending.id}/${decision}`, {
        version: pending.version,
      })
      .expect(200);
  }

  // An innocent traveller who shares the name and the year of birth, with a passport of his own.
  const namesakeOfSok = {
    names: [{ full: 'SOK Pheap' }],
    birthDate: '1987',
    document: { number: 'K88001122', issuingCountry: 'KH' },
  };
  const namesakeOfChan = {
    names: [{ full: 'CHAN Dara' }],
    birthDate: '1979',
    document: { number: 'K99003344', issuingCountry: 'KH' },
  };

  it('a clearance stops counting once an accepted amendment changes the entry’s identity', async () => {
    const first = await screen(namesakeOfSok, entries.sok);
    expect(first.candidate.previouslyCleared).toBe(false);
    await clear(first);
    // Until the identity changes, the next crossing of the same passport is marked.
    const before = await screen(namesakeOfSok, entries.sok);
    expect(before.candidate.previouslyCleared).toBe(true);

    // KR learns Sok's real date of birth and an alias; KH accepts: the entry is now another identity.
    await amend(
      'sok',
      {
        names: [...sokPheap.names, { full: 'SOK Pheak', script: 'latin', kind: 'alias' }],
        birthDate: '1987-11-02',
      },
      'accept',
    );

    const after = await screen(namesakeOfSok, entries.sok);
    expect(after.candidate.previouslyCleared).toBe(false);
    // What the screening before the change showed stays what a later read of it shows.
    const then = (await khScreener.get(`/screenings/${before.screeningId}`).expect(200)).body;
    expect(then.candidates.find((c: { id: string }) => c.id === before.candidate.id).previouslyCleared).toBe(
      true,
    );

    // Cleared again, against the entry as it now is: that clearance counts.
    await clear(after);
    expect((await screen(namesakeOfSok, entries.sok)).candidate.previouslyCleared).toBe(true);
  });

  it('control: with the identity unchanged, or an amendment rejected, the clearance still counts', async () => {
    const first = await screen(namesakeOfChan, entries.chan);
    expect(first.candidate.previouslyCleared).toBe(false);
    await clear(first);
    expect((await screen(namesakeOfChan, entries.chan)).candidate.previouslyCleared).toBe(true);

    await amend('chan', { birthDate: '1979-02-09' }, 'reject');

    expect((await screen(namesakeOfChan, entries.chan)).candidate.previouslyCleared).toBe(true);
  });

  it('the migration goes down and up again, marking each kept candidate whose entry has not changed since', async () => {
    const marks = () =>
      t.dataSource.query(
        `SELECT c.id, c.entry_identity_at, s.created_at >= e.identity_taken_at AS screened_since_last_change
           FROM screening_candidate c JOIN screening s ON s.id = c.screening_id JOIN blacklist_entry e ON e.id = c.entry_id
          ORDER BY c.id`,
      ) as Promise<
        Array<{ id: string; entry_identity_at: Date | null; screened_since_last_change: boolean }>
      >;
    const before = await marks();
    // Sok's screenings before its amendment, and those since, and Chan's.
    expect(before.filter((r) => !r.screened_since_last_change).length).toBeGreaterThan(0);
    expect(before.filter((r) => r.screened_since_last_change).length).toBeGreaterThan(0);
    expect(before.every((r) => r.entry_identity_at !== null)).toBe(true);
    const runner = t.dataSource.createQueryRunner();
    try {
      const migration = new CandidateEntryIdentity1763801250000();
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    // Marked as they were where the entry's identity is the one they met; unknown (unmarked) otherwise.
    expect(await marks()).toEqual(
      before.map((r) => ({
        ...r,
        entry_identity_at: r.screened_since_last_change ? r.entry_identity_at : null,
      })),
    );
    // The clearances against the identities the entries have now still count.
    expect((await screen(namesakeOfChan, entries.chan)).candidate.previouslyCleared).toBe(true);
    expect((await screen(namesakeOfSok, entries.sok)).candidate.previouslyCleared).toBe(true);
  });
});
