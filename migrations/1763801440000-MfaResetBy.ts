import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which admin reset the account's second factor last, until it is turned on again (null after the
 * enrolment, after its owner turned it off, and for resets from before). That admin issues no
 * enrolment pass for the account: with a password they had come by, one admin alone could reset the
 * owner's authenticator and enrol their own; a second admin issues the pass.
 */
export class MfaResetBy1763801440000 implements MigrationInterface {
  name = 'MfaResetBy1763801440000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN mfa_reset_by uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user DROP COLUMN mfa_reset_by`);
  }
}
