import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The addresses an account signed in from lately, each with a lockout of its own. Five wrong passwords
 * from anywhere lock the account for 30 minutes, so a stranger who knows a username could keep its owner
 * out for good (five guesses every half hour). The owner's own addresses now count their failures here
 * instead: a lockout caused elsewhere does not refuse the right password from an address the account
 * signed in from (CredentialsService, SignInAddressesStore).
 */
export class SignInAddresses1763801190000 implements MigrationInterface {
  name = 'SignInAddresses1763801190000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sign_in_address (
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        address text NOT NULL,
        last_signed_in_at timestamptz NOT NULL,
        failed_logins integer NOT NULL DEFAULT 0,
        failed_logins_since timestamptz,
        locked_until timestamptz,
        PRIMARY KEY (user_id, address)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sign_in_address`);
  }
}
