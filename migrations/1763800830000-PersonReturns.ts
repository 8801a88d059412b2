import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a person came back to a country that had kept a copy of it (a framework with the owner renewed,
 * and the owner's next edit brought the live person back): an arrival like a share, so what the owner
 * did to the person while that country read only its copy (files filed or withdrawn then) reads as of
 * the return, never at its own time (probe r5). Read by `personSeenSince(…, 'max')`.
 */
export class PersonReturns1763800830000 implements MigrationInterface {
  name = 'PersonReturns1763800830000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE person_return (
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        country_code char(2) NOT NULL REFERENCES country(code),
        returned_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (person_id, country_code, returned_at)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE person_return`);
  }
}
