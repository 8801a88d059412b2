import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Four eyes on new accounts (issue 17, found by a partner probe): a country admin who could create an
 * account with reading roles, set its password and sign in with it had widened access alone. An
 * account now records who created it; one a country admin creates starts disabled and is enabled by
 * a second admin of the country. Accounts made before this have no creator recorded.
 */
export class AccountCreator1763800026000 implements MigrationInterface {
  name = 'AccountCreator1763800026000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN created_by uuid REFERENCES app_user(id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user DROP COLUMN created_by`);
  }
}
