import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who edited a request while it was a draft (`PATCH /<kind>/:id`), each once. The four-eyes rule of
 * `approve` refuses its drafter and submitter; an officer who also holds the liaison role could
 * otherwise edit a colleague's returned draft and then approve what they wrote. Every request before
 * this had no edits: the empty list.
 */
export class RequestDraftEditors1763801280000 implements MigrationInterface {
  name = 'RequestDraftEditors1763801280000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cross_border_request ADD COLUMN edited_by uuid[] NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cross_border_request DROP COLUMN edited_by`);
  }
}
