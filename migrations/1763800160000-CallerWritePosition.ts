import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read-your-writes with read replicas (issue 21): after a user's write commits, the primary's WAL
 * insert position is kept here, and a later read of theirs goes to a standby only once that standby has
 * replayed up to it. Every app instance must see it, so it is a table, not process memory. UNLOGGED: it
 * is a routing hint, not a record: its churn writes no WAL, it is not copied to the standbys (it is only
 * read on the primary), and a crash empties it (reads then rely on the lag bound alone). Written only
 * when DATABASE_REPLICA_URLS is set.
 */
export class CallerWritePosition1763800160000 implements MigrationInterface {
  name = 'CallerWritePosition1763800160000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE caller_write_position (
        user_id uuid PRIMARY KEY,
        position pg_lsn NOT NULL,
        written_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE caller_write_position`);
  }
}
