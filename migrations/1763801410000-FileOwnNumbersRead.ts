import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which reading of a holder's file its own numbers were kept by (`OWN_NUMBERS_READING`): an upload
 * writes the current one; the `file-own-numbers-catch-up` job reads every other file again, keeps what
 * it shows, and records it as received by the countries the file reached already. Files uploaded
 * before this have no row: none was read for accounts and documents, and those uploaded before
 * `file_phone_number` were not read for phones.
 */
export class FileOwnNumbersRead1763801410000 implements MigrationInterface {
  name = 'FileOwnNumbersRead1763801410000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE file_own_numbers_read (
        sha256 char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        holder_country char(2) NOT NULL,
        reading smallint NOT NULL CHECK (reading > 0),
        PRIMARY KEY (sha256, holder_country)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE file_own_numbers_read`);
  }
}
