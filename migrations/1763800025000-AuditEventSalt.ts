import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15: an auditor who reads an event with a field withheld (another country's comment, the owner
 * of a record it was refused) could recover that field from the chain hashes by trying guesses: the
 * hashed form held nothing it did not know. Each new event gets a random salt, hashed with it and shown
 * only to readers who see the event whole. Added without a default first, so the events already
 * chained keep no salt and their hashes stay as they were; only then do new rows get one.
 */
export class AuditEventSalt1763800025000 implements MigrationInterface {
  name = 'AuditEventSalt1763800025000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_event ADD COLUMN salt uuid`);
    await q.query(`ALTER TABLE audit_event ALTER COLUMN salt SET DEFAULT gen_random_uuid()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_event DROP COLUMN salt`);
  }
}
