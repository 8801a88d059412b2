import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A ban can be extended before it lapses (`POST /blacklist-entries/:id/extend`), and both countries are
 * told before it does (`blacklist.entry_expiring`).
 *
 * - The entry's last extension: when, by whom, why, and the expiry it replaced. Every extension is in
 *   the audit trail (`blacklist.entry.extend`, the dates before and after); the entry shows the last.
 * - `expiry_notice_for`: the expiry date the expiring notice went out for. The notice job claims an
 *   entry by setting it to the entry's `expires_on` (a conditional UPDATE, SKIP LOCKED), so each expiry
 *   date is told once however many instances run; an extension sets a new date, which may be told again.
 *   The partial index holds exactly the active entries not yet told of their expiry: what the job reads.
 */
export class BlacklistEntryExtension1763801260000 implements MigrationInterface {
  name = 'BlacklistEntryExtension1763801260000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE blacklist_entry
        ADD COLUMN extended_at timestamptz(3),
        ADD COLUMN extended_by uuid REFERENCES app_user(id),
        ADD COLUMN extension_reason text CHECK (length(extension_reason) BETWEEN 1 AND 2000),
        ADD COLUMN extended_from date,
        ADD COLUMN expiry_notice_for date,
        ADD CONSTRAINT blacklist_entry_extension_whole CHECK (
          (extended_at IS NULL) = (extension_reason IS NULL) AND (extended_at IS NULL) = (extended_from IS NULL))`);
    await q.query(`
      CREATE INDEX blacklist_entry_expiry_notice_due ON blacklist_entry (expires_on)
       WHERE status = 'active' AND expiry_notice_for IS DISTINCT FROM expires_on`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX blacklist_entry_expiry_notice_due`);
    await q.query(`
      ALTER TABLE blacklist_entry
        DROP CONSTRAINT blacklist_entry_extension_whole,
        DROP COLUMN expiry_notice_for,
        DROP COLUMN extended_from,
        DROP COLUMN extension_reason,
        DROP COLUMN extended_by,
        DROP COLUMN extended_at`);
  }
}
