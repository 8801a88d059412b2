import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A screening candidate remembers which of its entry's identities it was found against: the entry's
 * `identity_taken_at` (set at activation and by each accepted amendment, the only changes of an entry's
 * names, date of birth, nationalities, sex and documents) when the candidate was written. A clearance
 * ("not the same person") counts for a later screening of the same document only where that screening's
 * candidate was found against the same identity: once an amendment changes the entry, the traveller
 * cleared against the old identity may be the person of the new one (`clearedBefore`). Compared as a
 * mark of one identity, never as a time against the screenings' own: an amendment's time is the app's
 * clock, a decision's the database's.
 *
 * Kept candidates are marked where it is known: a candidate whose screening ran after the entry's
 * identity last changed was found against the identity the entry has now. Those of screenings older than
 * that change stay unmarked (NULL): which identity they met is not known, and an unmarked clearance
 * counts for nothing, nor is an unmarked candidate shown as cleared before.
 */
export class CandidateEntryIdentity1763801250000 implements MigrationInterface {
  name = 'CandidateEntryIdentity1763801250000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE screening_candidate ADD COLUMN entry_identity_at timestamptz(3)`);
    await q.query(`
      UPDATE screening_candidate c SET entry_identity_at = e.identity_taken_at
        FROM blacklist_entry e, screening s
       WHERE e.id = c.entry_id AND s.id = c.screening_id AND e.identity_taken_at <= s.created_at`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE screening_candidate DROP COLUMN entry_identity_at`);
  }
}
