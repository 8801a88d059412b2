import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in rate-limit counters shared by every app instance on this database (issue 21): kept in
 * process memory, each of N replicas allowed its own 30 attempts a minute. One row per throttle key
 * (already a SHA-256 hash from @nestjs/throttler: no username or address is stored in clear).
 * Counters, not records: no audit event, and rows past their window are swept.
 */
export class SharedLoginThrottle1763800041000 implements MigrationInterface {
  name = 'SharedLoginThrottle1763800041000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE login_throttle (
        key text PRIMARY KEY,
        hits integer NOT NULL CHECK (hits > 0),
        window_ends_at timestamptz NOT NULL,
        blocked_until timestamptz
      )`);
    await q.query(
      `CREATE INDEX login_throttle_expiry ON login_throttle (greatest(window_ends_at, blocked_until))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_throttle`);
  }
}
