import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A second factor at sign-in (TOTP, RFC 6238), optional per account:
 * - `app_user.mfa_secret` is the confirmed secret and `mfa_pending_secret` one awaiting its first code,
 *   both sealed with AES-256-GCM under a key the database never holds (src/auth/mfa/mfa-secret-box.ts):
 *   a dump alone does not give them. `mfa_enabled_at` is set exactly when `mfa_secret` is.
 * - `mfa_last_time_step` is the last accepted code's time step: a code is never accepted twice.
 * - `mfa_recovery_code` holds the one-time recovery codes as salted SHA-256 hashes; `used_at` burns one.
 */
export class UserMfa1763801350000 implements MigrationInterface {
  name = 'UserMfa1763801350000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN mfa_secret text,
                                       ADD COLUMN mfa_pending_secret text,
                                       ADD COLUMN mfa_enabled_at timestamptz,
                                       ADD COLUMN mfa_last_time_step bigint`);
    await q.query(`ALTER TABLE app_user ADD CONSTRAINT app_user_mfa_enabled_has_secret
                     CHECK ((mfa_enabled_at IS NULL) = (mfa_secret IS NULL))`);
    await q.query(`
      CREATE TABLE mfa_recovery_code (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        salt text NOT NULL,
        code_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz
      )`);
    await q.query(`CREATE INDEX mfa_recovery_code_user ON mfa_recovery_code (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE mfa_recovery_code`);
    await q.query(`ALTER TABLE app_user DROP CONSTRAINT app_user_mfa_enabled_has_secret`);
    await q.query(`ALTER TABLE app_user DROP COLUMN mfa_secret, DROP COLUMN mfa_pending_secret,
                                       DROP COLUMN mfa_enabled_at, DROP COLUMN mfa_last_time_step`);
  }
}
