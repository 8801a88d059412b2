import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Asset freeze requests: the targets (bank accounts and crypto wallets) of a request with their amounts and
 * execution ledger, and every execution step. Amounts are `numeric(38,18)`, never floating point.
 * A partial unique index keeps one account or wallet on at most one open request per origin country.
 */
export class AssetFreezes1763800006000 implements MigrationInterface {
  name = 'AssetFreezes1763800006000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE asset_freeze_target (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL REFERENCES cross_border_request(id),
        position integer NOT NULL,
        target_type text NOT NULL CHECK (target_type IN ('bank_account', 'crypto_wallet')),
        institution_name text,
        institution_code text,
        account_number text,
        holder_name text,
        borrowed_name boolean,
        person_id uuid REFERENCES person(id),
        chain text CHECK (chain IN ('bitcoin', 'ethereum', 'tron', 'bsc', 'solana')),
        address text,
        exchange_name text,
        currency text NOT NULL,
        amount_sought numeric(38, 18) NOT NULL CHECK (amount_sought > 0),
        grounds jsonb NOT NULL,
        origin_country char(2) NOT NULL REFERENCES country(code),
        target_key text NOT NULL,
        is_open boolean NOT NULL DEFAULT true,
        outcome text CHECK (outcome IN ('frozen', 'not_found', 'funds_moved')),
        frozen_amount numeric(38, 18) NOT NULL DEFAULT 0 CHECK (frozen_amount >= 0),
        recovered_amount numeric(38, 18) NOT NULL DEFAULT 0 CHECK (recovered_amount >= 0),
        returned_amount numeric(38, 18) NOT NULL DEFAULT 0 CHECK (returned_amount >= 0),
        released_amount numeric(38, 18) NOT NULL DEFAULT 0 CHECK (released_amount >= 0),
        institution_reference text,
        frozen_at timestamptz(3),
        closed_out_at timestamptz(3),
        close_out_reason text,
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (request_id, position),
        CHECK (returned_amount + released_amount <= frozen_amount),
        CHECK (recovered_amount <= frozen_amount),
        CHECK (target_type <> 'bank_account' OR (institution_code IS NOT NULL AND account_number IS NOT NULL AND borrowed_name IS NOT NULL)),
        CHECK (target_type <> 'crypto_wallet' OR (chain IS NOT NULL AND address IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX asset_freeze_target_request ON asset_freeze_target (request_id, position)`);
    // Race-safe duplicate protection: concurrent creates of the same account wait on each other here.
    await q.query(
      `CREATE UNIQUE INDEX asset_freeze_target_open_key ON asset_freeze_target (origin_country, target_key) WHERE is_open`,
    );
    await q.query(`
      CREATE TABLE asset_freeze_step (
        id bigserial PRIMARY KEY,
        request_id uuid NOT NULL REFERENCES cross_border_request(id),
        target_id uuid NOT NULL REFERENCES asset_freeze_target(id),
        step text NOT NULL CHECK (step IN ('freeze', 'recover', 'return', 'release', 'closeOut')),
        outcome text,
        amount numeric(38, 18) CHECK (amount >= 0),
        currency text,
        details jsonb NOT NULL DEFAULT '{}',
        actor_user_id uuid REFERENCES app_user(id),
        actor_username text,
        actor_country char(2),
        at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX asset_freeze_step_target ON asset_freeze_step (target_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS asset_freeze_step`);
    await q.query(`DROP TABLE IF EXISTS asset_freeze_target`);
  }
}
