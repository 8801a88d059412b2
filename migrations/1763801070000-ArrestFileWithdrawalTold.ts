import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A file on an arrest withdrawn while no framework joined the arresting country to a country the arrest
 * was shared with (or repatriated to) was not told to that country: once cooperation resumes it reads
 * the file withdrawn as of the resumption, without who withdrew it or why, as a custody step of the gap
 * reads (probe r13, `arrest_custody_history.told`).
 * - `attachment.withdrawal_told`: for an arrest's file, the countries an active framework joined to the
 *   arresting country when it was withdrawn (NULL for other files and for older withdrawals: read as
 *   before). Written by the withdrawal itself, so `attachment_immutable()` lets it change with the
 *   other withdrawal columns, and with nothing else.
 */
export class ArrestFileWithdrawalTold1763801070000 implements MigrationInterface {
  name = 'ArrestFileWithdrawalTold1763801070000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE attachment ADD COLUMN withdrawal_told char(2)[]`);
    // Written with the withdrawal, as its time, user and reason are: still nothing else of a file changes.
    await q.query(immutable(`- 'withdrawn_at' - 'withdrawn_by' - 'withdrawal_reason' - 'withdrawal_told'`));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(immutable(`- 'withdrawn_at' - 'withdrawn_by' - 'withdrawal_reason'`));
    await q.query(`ALTER TABLE attachment DROP COLUMN withdrawal_told`);
  }
}

/** `attachment_immutable()` (migration 1763800024000) with `withdrawal` the columns a withdrawal sets. */
const immutable = (withdrawal: string) => `
  CREATE OR REPLACE FUNCTION attachment_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'DELETE' THEN
      RAISE EXCEPTION 'attachments are never deleted (withdraw instead)';
    END IF;
    IF OLD.withdrawn_at IS NOT NULL
       OR (to_jsonb(NEW) ${withdrawal}) IS DISTINCT FROM (to_jsonb(OLD) ${withdrawal}) THEN
      RAISE EXCEPTION 'an attachment is never changed: supersede it with a new version or withdraw it';
    END IF;
    RETURN NEW;
  END $$`;
