import { MigrationInterface, QueryRunner } from 'typeorm';

/** Extensions every later migration relies on: trigram search for names in any script. */
export class Baseline1763800000000 implements MigrationInterface {
  name = 'Baseline1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP EXTENSION IF EXISTS pg_trgm`);
  }
}
