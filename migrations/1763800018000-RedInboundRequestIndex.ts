import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15: `/stats` follows the caller's visibility. The rollup tables do not hold the handling code,
 * so a caller who may not read inbound RED requests (anyone but a liaison, or the assigned officer)
 * gets the country's figures less those requests, read through this partial index: RED requests are
 * few, its predicate is the one `hiddenInboundRequests` (src/access/scopes.ts) writes, and it holds
 * every column the stats read of them (index-only scans).
 */
export class RedInboundRequestIndex1763800018000 implements MigrationInterface {
  name = 'RedInboundRequestIndex1763800018000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX request_red_inbound ON cross_border_request (target_country, created_at)
        INCLUDE (origin_country, kind, status, assigned_to, sent_at, accepted_at, fulfilled_at, due_at)
        WHERE handling_code = 'RED' AND sent_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS request_red_inbound`);
  }
}
