import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A file attached to one thread of a request to several countries before it is sent goes to every
 * thread of it (the origin acts on the dispatch as one until then): one attachment row per thread, tied
 * by `dispatch_group`, the id of the row the upload named. Withdrawn before sending, the whole group
 * goes; after sending, each thread's copy is its own.
 */
export class DispatchAttachmentGroups1763800140000 implements MigrationInterface {
  name = 'DispatchAttachmentGroups1763800140000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE attachment ADD COLUMN dispatch_group uuid REFERENCES attachment(id)`);
    await q.query(
      `CREATE INDEX attachment_dispatch_group ON attachment (dispatch_group) WHERE dispatch_group IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE attachment DROP COLUMN dispatch_group`);
  }
}
