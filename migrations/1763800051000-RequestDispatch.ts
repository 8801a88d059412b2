import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One request to several countries (issue 20), as a SIENA multi-recipient message: one row per
 * recipient (its own reference, due time, answer), tied by `dispatch_id`. Until sent, the origin acts on
 * the dispatch as one; from `sent` on each recipient's thread goes its own way. A recipient learns who
 * else was asked only when the origin set `recipients_visible`.
 */
export class RequestDispatch1763800051000 implements MigrationInterface {
  name = 'RequestDispatch1763800051000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE cross_border_request ADD COLUMN dispatch_id uuid,
         ADD COLUMN recipients_visible boolean NOT NULL DEFAULT false`,
    );
    await q.query(
      `CREATE INDEX request_dispatch ON cross_border_request (dispatch_id) WHERE dispatch_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX request_dispatch`);
    await q.query(`ALTER TABLE cross_border_request DROP COLUMN dispatch_id, DROP COLUMN recipients_visible`);
  }
}
