import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A multilateral body is joined and left over time (issue 20): a member counts from the day it joined
 * until the day before it left. `framework_members_on(day)` is the one definition of "these countries
 * are members of a framework in force that day"; every query that asks whether two countries cooperate
 * goes through it, so a date rule cannot be forgotten on one path. Plain SQL, STABLE: PostgreSQL inlines
 * it into the calling query like a view, with the day as a parameter (the app's clock, which tests move).
 */
export class FrameworkMembershipDates1763800050000 implements MigrationInterface {
  name = 'FrameworkMembershipDates1763800050000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE framework_member ADD COLUMN joined_on date, ADD COLUMN left_on date`);
    // Members so far joined when their framework began.
    await q.query(
      `UPDATE framework_member m SET joined_on = f.valid_from FROM framework f WHERE f.id = m.framework_id`,
    );
    await q.query(`ALTER TABLE framework_member ALTER COLUMN joined_on SET NOT NULL`);
    await q.query(
      `ALTER TABLE framework_member ADD CONSTRAINT framework_member_left_after_joined
         CHECK (left_on IS NULL OR left_on > joined_on)`,
    );
    await q.query(`
      CREATE FUNCTION framework_members_on(day date)
        RETURNS TABLE (framework_id uuid, country_code char(2))
        LANGUAGE sql STABLE PARALLEL SAFE AS $$
          SELECT m.framework_id, m.country_code
            FROM framework_member m JOIN framework f ON f.id = m.framework_id
           WHERE f.active AND f.valid_from <= day AND (f.valid_to IS NULL OR f.valid_to >= day)
             AND m.joined_on <= day AND (m.left_on IS NULL OR m.left_on > day)
        $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION framework_members_on(date)`);
    await q.query(`ALTER TABLE framework_member DROP COLUMN joined_on, DROP COLUMN left_on`);
  }
}
