import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a case's content a partner reads (title, summary, tags, status) last changed. `updated_at` also
 * moves when the owner only reassigns its lead officer, a field no partner reads, so a partner's
 * `updatedAt` told it when the owner managed the case internally (probe r4). Partners' views read
 * this column instead; the owner's keep `updated_at`.
 */
export class CaseContentUpdatedAt1763800820000 implements MigrationInterface {
  name = 'CaseContentUpdatedAt1763800820000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_file ADD COLUMN content_updated_at timestamptz(3)`);
    await q.query(`UPDATE case_file SET content_updated_at = updated_at`);
    await q.query(
      `ALTER TABLE case_file ALTER COLUMN content_updated_at SET DEFAULT now(), ALTER COLUMN content_updated_at SET NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_file DROP COLUMN content_updated_at`);
  }
}
