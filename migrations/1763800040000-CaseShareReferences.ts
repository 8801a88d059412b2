import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A shared case is named to the country it is shared with by a reference of that share, numbered per
 * owner, recipient and year (`KR-MY-CASE-2026-000003`): the case's own reference, numbered per owner
 * and year, told every partner roughly how many cases the owner opened (issue 15). Existing shares are
 * numbered in the order they were made.
 */
export class CaseShareReferences1763800040000 implements MigrationInterface {
  name = 'CaseShareReferences1763800040000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_share ADD COLUMN reference text`);
    await q.query(`
      WITH numbered AS (
        SELECT s.id, c.owner_country, s.country_code, extract(year FROM s.shared_at)::int AS year,
               row_number() OVER (PARTITION BY c.owner_country, s.country_code, extract(year FROM s.shared_at)
                                  ORDER BY s.shared_at, s.id) AS n
          FROM case_share s JOIN case_file c ON c.id = s.case_id)
      UPDATE case_share s
         SET reference = n.owner_country || '-' || n.country_code || '-CASE-' || n.year || '-' ||
                         lpad(n.n::text, greatest(6, length(n.n::text)), '0')
        FROM numbered n WHERE n.id = s.id`);
    await q.query(`
      INSERT INTO request_reference_counter (origin_country, target_country, kind, year, last_value)
      SELECT c.owner_country, s.country_code, 'CASE', extract(year FROM s.shared_at)::int, count(*)
        FROM case_share s JOIN case_file c ON c.id = s.case_id
       GROUP BY 1, 2, 4`);
    await q.query(`ALTER TABLE case_share ALTER COLUMN reference SET NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX case_share_reference ON case_share (reference)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM request_reference_counter WHERE kind = 'CASE'`);
    await q.query(`ALTER TABLE case_share DROP COLUMN reference`);
  }
}
