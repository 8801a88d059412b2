import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One narrow row per active blacklist entry with what screening scores and shows
 * (`src/blacklist/screening-profile.ts`): candidate retrieval reads it instead of joining
 * `blacklist_entry` and `person`. Filled from the active entries (about 2 s per 100,000). The fill is
 * written out here, not taken from the app, so this migration stays what it was when the table changes.
 */
export class BlacklistScreeningProfile1763800015000 implements MigrationInterface {
  name = 'BlacklistScreeningProfile1763800015000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE blacklist_screening_profile (
        entry_id uuid PRIMARY KEY REFERENCES blacklist_entry(id),
        banning_country char(2) NOT NULL,
        proposing_country char(2) NOT NULL,
        expires_on date NOT NULL,
        grounds_summary text NOT NULL,
        names jsonb NOT NULL,
        birth_date text,
        nationalities text[] NOT NULL,
        sex text,
        documents jsonb NOT NULL
      )`);
    await q.query(`
      INSERT INTO blacklist_screening_profile (entry_id, banning_country, proposing_country, expires_on,
             grounds_summary, names, birth_date, nationalities, sex, documents)
      SELECT e.id, e.banning_country, e.proposing_country, e.expires_on, e.grounds_summary, p.names,
             p.birth_date, p.nationalities, p.sex, p.documents
        FROM blacklist_entry e JOIN person p ON p.id = e.person_id
       WHERE e.status = 'active'`);
    // The hourly expiry job finds the entries to take out of the index by date.
    await q.query(
      `CREATE INDEX blacklist_screening_profile_expiry ON blacklist_screening_profile (expires_on)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE blacklist_screening_profile`);
  }
}
