import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One open repatriation request per arrest, not per person (issue 15, found by a partner probe): two
 * countries that each arrested a person they were both given could not both ask to repatriate them,
 * and the second learned from the 409 that the first had arrested the person and drafted a request.
 * Within a country, the service still refuses a person already on a request the caller can read.
 */
export class RepatriationOneOpenPerArrest1763800029000 implements MigrationInterface {
  name = 'RepatriationOneOpenPerArrest1763800029000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX repatriation_person_one_open`);
    await q.query(
      `CREATE UNIQUE INDEX repatriation_arrest_one_open ON repatriation_person (arrest_id) WHERE open`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX repatriation_arrest_one_open`);
    await q.query(
      `CREATE UNIQUE INDEX repatriation_person_one_open ON repatriation_person (person_id) WHERE open`,
    );
  }
}
