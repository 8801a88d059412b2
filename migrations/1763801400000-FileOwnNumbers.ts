import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `file_phone_number` becomes `file_own_number`: besides the phones, the account and document numbers of
 * the holder's own a file it uploaded shows (`OwnNumbersSeen`) are kept, and the recipient of the file is
 * recorded as having received them from the holder, as it is for the phones. Before, an account number
 * KH wrote only inside a bank statement it gave KR under AMBER was KR's own for the release rule (the
 * rest of probe r44).
 */
export class FileOwnNumbers1763801400000 implements MigrationInterface {
  name = 'FileOwnNumbers1763801400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE file_phone_number RENAME TO file_own_number`);
    await q.query(`ALTER TABLE file_own_number RENAME CONSTRAINT file_phone_number_pkey TO file_own_number_pkey`);
    await q.query(
      `ALTER TABLE file_own_number RENAME CONSTRAINT file_phone_number_sha256_check TO file_own_number_sha256_check`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE file_own_number RENAME CONSTRAINT file_own_number_sha256_check TO file_phone_number_sha256_check`,
    );
    await q.query(`ALTER TABLE file_own_number RENAME CONSTRAINT file_own_number_pkey TO file_phone_number_pkey`);
    await q.query(`ALTER TABLE file_own_number RENAME TO file_phone_number`);
  }
}
