import { MigrationInterface, QueryRunner } from 'typeorm';
import PgBoss from 'pg-boss';

/**
 * The job queue's own schema (pg-boss, installed here from its construction plan so the schema still
 * changes only through migrations), the notification outbox with per-user read marks, webhook
 * subscriptions and their delivery log, and the deadline bookkeeping on requests.
 */
export class NotificationsAndJobs1763800008000 implements MigrationInterface {
  name = 'NotificationsAndJobs1763800008000';

  async up(q: QueryRunner): Promise<void> {
    // The plan brings its own BEGIN/COMMIT; the migration already runs in a transaction.
    const plan = PgBoss.getConstructionPlans('pgboss').replace(/^\s*(BEGIN|COMMIT);\s*$/gm, '');
    await q.query(plan);

    await q.query(
      `ALTER TABLE cross_border_request ADD COLUMN due_soon_notified_at timestamptz(3), ADD COLUMN overdue_notified_at timestamptz(3)`,
    );
    await q.query(`
      CREATE TABLE notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        event_type text NOT NULL,
        country_code char(2) NOT NULL REFERENCES country(code),
        roles text[] NOT NULL,
        user_id uuid REFERENCES app_user(id),
        record_type text NOT NULL,
        record_id uuid NOT NULL,
        reference text,
        payload jsonb NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX notification_recipients ON notification (country_code, created_at DESC, id DESC)`,
    );
    await q.query(`
      CREATE TABLE notification_read (
        notification_id uuid NOT NULL REFERENCES notification(id),
        user_id uuid NOT NULL REFERENCES app_user(id),
        read_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, notification_id)
      )`);
    await q.query(`
      CREATE TABLE webhook_subscription (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        country_code char(2) NOT NULL REFERENCES country(code),
        url text NOT NULL,
        event_types text[] NOT NULL,
        secret text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        consecutive_failures integer NOT NULL DEFAULT 0,
        disabled_reason text,
        created_by uuid NOT NULL REFERENCES app_user(id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`
      CREATE TABLE webhook_delivery (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subscription_id uuid NOT NULL REFERENCES webhook_subscription(id),
        notification_id uuid NOT NULL REFERENCES notification(id),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        last_status_code integer,
        last_error text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        delivered_at timestamptz(3),
        UNIQUE (subscription_id, notification_id)
      )`);
    await q.query(`
      CREATE TABLE webhook_attempt (
        id bigserial PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES webhook_delivery(id),
        attempted_at timestamptz(3) NOT NULL DEFAULT now(),
        status_code integer,
        error text,
        duration_ms integer NOT NULL
      )`);
    await q.query(`CREATE INDEX webhook_attempt_delivery ON webhook_attempt (delivery_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'webhook_attempt',
      'webhook_delivery',
      'webhook_subscription',
      'notification_read',
      'notification',
    ])
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    await q.query(
      `ALTER TABLE cross_border_request DROP COLUMN IF EXISTS due_soon_notified_at, DROP COLUMN IF EXISTS overdue_notified_at`,
    );
    await q.query(`DROP SCHEMA IF EXISTS pgboss CASCADE`);
  }
}
