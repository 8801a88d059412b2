import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read-your-writes with read replicas (issue 21): after a user's write commits, the primary's WAL
 * position then is kept here, so a later read of theirs goes to a standby only once that standby has
 * replayed up to it. Every app instance reads it, so it is a table, not process memory. UNLOGGED: it is
 * a routing hint, not a record — no WAL for its churn, not copied to the standbys, emptied by a crash
 * (after which reads fall back on the lag bound alone). Written only when DATABASE_REPLICA_URLS is set.
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
