import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Four eyes on password resets (probe r13): an admin who reset an active officer's password to one it
 * chose could sign in with it and read what the officer reads, alone, although creating an account and
 * widening roles already need a second admin. A reset now records the admin who made it; until a second
 * admin of the country confirms it (the column back to NULL) the account cannot sign in, and no token of
 * it is accepted. Accounts are not awaiting a confirmation when this runs.
 */
export class PasswordResetFourEyes1763801060000 implements MigrationInterface {
  name = 'PasswordResetFourEyes1763801060000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN password_reset_by uuid REFERENCES app_user(id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user DROP COLUMN password_reset_by`);
  }
}
