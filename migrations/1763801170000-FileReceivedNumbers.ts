import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The numbers another country gave a holder that a file the holder uploaded holds in its contents (its
 * text, a PDF's text, a ZIP's entries): the release rule weighs them wherever the file goes, as it weighs
 * a number written into any text (probe r16: a call log attached to a shared case carried a number KH
 * gave KR under AMBER to MY). Read when the holder's country uploads the bytes, against what it had
 * received by then: a number received after the file was written is one the holder knew already.
 * Keyed by content, as the bytes are stored. Files uploaded before this were not read.
 */
export class FileReceivedNumbers1763801170000 implements MigrationInterface {
  name = 'FileReceivedNumbers1763801170000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE file_received_number (
        sha256 char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        holder_country char(2) NOT NULL,
        identifier text NOT NULL,
        PRIMARY KEY (sha256, holder_country, identifier)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE file_received_number`);
  }
}
