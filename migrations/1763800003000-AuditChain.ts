import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tamper-evident part of the audit trail.
 *
 * - `audit_chain` gives each committed event a gap-free position (`seq`) and a hash linking it to the
 *   previous one: `hash = SHA-256(prev_hash || canonical(event))`, genesis `prev_hash` = 32 zero bytes.
 *   Rows are written after commit by the sealer (one instance at a time, under an advisory lock), so
 *   business transactions never wait on each other to append events.
 * - `audit_checkpoint` holds Ed25519 signatures over `{seq, hash, signedAt}` of the chain head, taken
 *   every N events or T seconds; a rewrite of the chain (with recomputed hashes) no longer matches them.
 * - Triggers make `audit_event`, `audit_chain` and `audit_checkpoint` append-only for every role that
 *   cannot disable triggers (the app's connection included).
 * - A BEFORE INSERT trigger stamps `audit_event.tx_id` with the inserting transaction's id whatever the
 *   caller passed, so an event cannot pretend to belong to an old, finished transaction (the sealer
 *   relies on `tx_id` to know which events can no longer be preceded by a late commit).
 */
export class AuditChain1763800003000 implements MigrationInterface {
  name = 'AuditChain1763800003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_chain (
        seq bigint PRIMARY KEY CHECK (seq > 0),
        event_id bigint NOT NULL UNIQUE REFERENCES audit_event (id),
        prev_hash bytea NOT NULL CHECK (octet_length(prev_hash) = 32),
        hash bytea NOT NULL CHECK (octet_length(hash) = 32),
        sealed_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`
      CREATE TABLE audit_checkpoint (
        seq bigint PRIMARY KEY REFERENCES audit_chain (seq),
        hash bytea NOT NULL,
        signed_at timestamptz NOT NULL,
        signature bytea NOT NULL,
        key_id text NOT NULL
      )`);
    // The sealer looks for unsealed events among those of transactions newer than its last pass.
    await q.query(`CREATE INDEX audit_event_tx_idx ON audit_event (tx_id)`);

    await q.query(`
      CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit trail is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(`
      CREATE FUNCTION audit_event_stamp_tx() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.tx_id := pg_current_xact_id();
        RETURN NEW;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER audit_event_stamp_tx BEFORE INSERT ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_event_stamp_tx()`);
    for (const table of ['audit_event', 'audit_chain', 'audit_checkpoint']) {
      await q.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`);
      await q.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['audit_event', 'audit_chain', 'audit_checkpoint']) {
      await q.query(`DROP TRIGGER IF EXISTS ${table}_no_truncate ON ${table}`);
      await q.query(`DROP TRIGGER IF EXISTS ${table}_append_only ON ${table}`);
    }
    await q.query(`DROP TRIGGER IF EXISTS audit_event_stamp_tx ON audit_event`);
    await q.query(`DROP TABLE IF EXISTS audit_checkpoint`);
    await q.query(`DROP TABLE IF EXISTS audit_chain`);
    await q.query(`DROP INDEX IF EXISTS audit_event_tx_idx`);
    await q.query(`DROP FUNCTION IF EXISTS audit_event_stamp_tx()`);
    await q.query(`DROP FUNCTION IF EXISTS audit_refuse_change()`);
  }
}
