import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which admin set the account's current password (its creator, or the admin whose reset set it); null
 * once its owner set one of their own (and for accounts from before, and the command line's). That
 * admin holds the password, so it issues no second-factor enrolment pass for the account: the pass is
 * what keeps whoever holds the password from enrolling an authenticator of their own (probe r52).
 */
export class PasswordSetBy1763801430000 implements MigrationInterface {
  name = 'PasswordSetBy1763801430000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN password_set_by uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user DROP COLUMN password_set_by`);
  }
}
