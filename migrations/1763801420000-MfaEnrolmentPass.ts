import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A one-time pass a country admin issues for an account's first enrolment of a second factor, when the
 * account's roles require one (MFA_REQUIRED_ROLES): the password alone must not let whoever holds it
 * enrol their own authenticator, so the pass travels by another channel. At most one per account (a new
 * one replaces it); kept as a salted SHA-256 hash (80 random bits); used up by the enrolment.
 * `issued_by`: the admin who issued it; null when the command line did (it is no account).
 */
export class MfaEnrolmentPass1763801420000 implements MigrationInterface {
  name = 'MfaEnrolmentPass1763801420000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE mfa_enrolment_pass (
        user_id uuid PRIMARY KEY REFERENCES app_user (id) ON DELETE CASCADE,
        salt text NOT NULL,
        pass_hash text NOT NULL,
        issued_by uuid,
        issued_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL CHECK (expires_at > issued_at)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE mfa_enrolment_pass`);
  }
}
