import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The target's lists (`?direction=inbound`) could not use `request_target`: it is partial (`WHERE sent_at
 * IS NOT NULL`), and the list's visibility condition, `origin = me OR (target = me AND sent_at IS NOT
 * NULL …)`, does not let the planner prove that predicate, so at 1,000,000 requests the first page was a
 * sequential scan and a sort (7 s under load, see bench/README.md). The same index without the predicate
 * serves every query the partial one did, in the same key order, and the inbound list becomes an
 * index scan that stops after one page. Same number of indexes, so writes cost the same; the index also
 * holds the target's view of drafts (about 10 % more entries).
 */
export class RequestTargetIndex1763800010000 implements MigrationInterface {
  name = 'RequestTargetIndex1763800010000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX request_target_all ON cross_border_request (target_country, kind, created_at DESC, id DESC)`,
    );
    await q.query(`DROP INDEX request_target`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX request_target ON cross_border_request (target_country, kind, created_at DESC, id DESC) WHERE sent_at IS NOT NULL`,
    );
    await q.query(`DROP INDEX request_target_all`);
  }
}
