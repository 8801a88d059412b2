import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Previously cleared" looks up the earlier screenings of one traveller's document in one country on
 * every screening that gives a document number. Without an index that is a scan of every screening
 * the country ever ran (millions in a year at a busy airport); screenings without a document (most)
 * stay out of the index.
 */
export class ScreeningDocumentIndex1763800013000 implements MigrationInterface {
  name = 'ScreeningDocumentIndex1763800013000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX screening_document ON screening (country_code, document_key) WHERE document_key IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX screening_document`);
  }
}
