import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The phone numbers of the holder's own a file it uploaded shows in its text (beside the received
 * numbers kept in `file_received_number`): wherever the file goes, the recipient is recorded as having
 * received them from the holder, under the code the file went by, as a phone written into a field is.
 * Before, a phone KH wrote only inside a call log it gave KR under AMBER was KR's own for the release
 * rule: KR could type it into a record of its own and pass it to MY, and MY's hit/no-hit check found it
 * at KR (probe r44). Keyed by content, as the bytes are stored. Files uploaded before this were not
 * read for them.
 */
export class FilePhoneNumbers1763801390000 implements MigrationInterface {
  name = 'FilePhoneNumbers1763801390000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE file_phone_number (
        sha256 char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        holder_country char(2) NOT NULL,
        identifier text NOT NULL,
        PRIMARY KEY (sha256, holder_country, identifier)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE file_phone_number`);
  }
}
