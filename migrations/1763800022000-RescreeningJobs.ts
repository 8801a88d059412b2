import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Re-screening after an activation (or an accepted amendment) leaves the request path: the activation
 * records a `screening_rescreen` task in its own transaction, and a background job works through it in
 * batches, keeping its place in `after_created_at`/`after_id`. A screening keeps the search keys its
 * query was retrieved with (`query_keys`), so the job scores only the screenings that share a key with
 * the entry, as a live screening would have retrieved it, instead of preparing every name of 30 days.
 * Screenings kept before this migration have no keys and are all scored, in the same batches.
 */
export class RescreeningJobs1763800022000 implements MigrationInterface {
  name = 'RescreeningJobs1763800022000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE screening ADD COLUMN query_keys text[]`);
    await q.query(`
      CREATE TABLE screening_rescreen (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        entry_id uuid NOT NULL REFERENCES blacklist_entry(id),
        banning_country char(2) NOT NULL REFERENCES country(code),
        reason text NOT NULL CHECK (reason IN ('activation', 'amendment')),
        screened_from timestamptz(3) NOT NULL,
        screened_until timestamptz(3) NOT NULL,
        after_created_at timestamptz(3),
        after_id uuid,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done')),
        screenings_scored integer NOT NULL DEFAULT 0,
        matches integer NOT NULL DEFAULT 0,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        done_at timestamptz(3),
        CHECK ((status = 'done') = (done_at IS NOT NULL))
      )`);
    await q.query(
      `CREATE INDEX screening_rescreen_pending ON screening_rescreen (created_at, id) WHERE status = 'pending'`,
    );
    await q.query(`CREATE INDEX screening_rescreen_entry ON screening_rescreen (entry_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE screening_rescreen`);
    await q.query(`ALTER TABLE screening DROP COLUMN query_keys`);
  }
}
