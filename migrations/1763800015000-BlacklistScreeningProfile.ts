import { MigrationInterface, QueryRunner } from 'typeorm';
import { FILL_MISSING_SCREENING_PROFILES_SQL } from '../src/blacklist/screening-profile';

/**
 * One narrow row per active blacklist entry with what screening scores and shows
 * (`src/blacklist/screening-profile.ts`): candidate retrieval reads it instead of joining
 * `blacklist_entry` and `person`. Filled from the active entries (seconds per 100,000).
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
    await q.query(FILL_MISSING_SCREENING_PROFILES_SQL);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE blacklist_screening_profile`);
  }
}
