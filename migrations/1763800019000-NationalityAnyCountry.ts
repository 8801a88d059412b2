import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17: an arrest's nationality is any ISO 3166-1 alpha-2 code (checked by the API), not only one
 * of the member countries in `country`: a raid with 80 Chinese nationals was refused. Member
 * countries stay what `country` lists; the foreign key that tied the two together goes.
 */
export class NationalityAnyCountry1763800019000 implements MigrationInterface {
  name = 'NationalityAnyCountry1763800019000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE arrest DROP CONSTRAINT arrest_nationality_fkey`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Refuses to run while an arrest names a non-member nationality, rather than losing it.
    await q.query(
      `ALTER TABLE arrest ADD CONSTRAINT arrest_nationality_fkey FOREIGN KEY (nationality) REFERENCES country(code)`,
    );
  }
}
