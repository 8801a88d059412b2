import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a delivery's attempt under way began (NULL: none). Two jobs of one delivery (a sweep beside a
 * live job, two instances) each POSTed it: the attempt is now claimed before its POST, and a claim
 * older than the lease (a process that died mid-attempt) may be taken over (WebhookDeliveryService).
 */
export class WebhookAttemptLease1763801200000 implements MigrationInterface {
  name = 'WebhookAttemptLease1763801200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_delivery ADD COLUMN attempt_started_at timestamptz(3)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_delivery DROP COLUMN attempt_started_at`);
  }
}
