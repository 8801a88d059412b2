import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail's events. Inserted inside each business transaction, without any lock; chaining
 * (sequence numbers and hashes) is done separately after commit, so it never serializes requests.
 */
export class AuditEvents1763800002000 implements MigrationInterface {
  name = 'AuditEvents1763800002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_event (
        id bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'system', 'anonymous')),
        actor_user_id uuid,
        actor_username text,
        actor_agency_id uuid,
        actor_country char(2),
        actor_roles text[] NOT NULL DEFAULT '{}',
        action text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('success', 'denied', 'failed')),
        record_type text,
        record_id text,
        owner_country char(2),
        counterpart_country char(2),
        changes jsonb,
        details jsonb,
        request_id text,
        source_ip text,
        user_agent text
      )`);
    await q.query(`CREATE INDEX audit_event_record_idx ON audit_event (record_type, record_id, id)`);
    await q.query(`CREATE INDEX audit_event_actor_country_idx ON audit_event (actor_country, id DESC)`);
    await q.query(`CREATE INDEX audit_event_owner_idx ON audit_event (owner_country, id DESC)`);
    await q.query(`CREATE INDEX audit_event_counterpart_idx ON audit_event (counterpart_country, id DESC)`);
    await q.query(`CREATE INDEX audit_event_action_idx ON audit_event (action, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS audit_event`);
  }
}
