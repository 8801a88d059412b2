import { Injectable, OnModuleInit } from '@nestjs/common';
import { userMayReadRecord } from '../access/scopes';
import { DomainEventBus } from '../common/events/domain-event-bus';
import { TransactionService } from '../database/transaction.service';
import { JobsService } from '../jobs/jobs.service';
import type { NotificationInput } from '../common/notification-events';
import { NotificationRecorded } from '../notifications/notification-recorded';
import { WebhookDeliveryService } from './webhook-delivery.service';

export const DELIVERY_JOB = 'webhook-delivery';
export const SWEEP_JOB = 'webhook-sweep';

/**
 * Turns a notification into one pending delivery per matching subscription, in the notification's
 * transaction; the delivery job is queued after commit, and a sweeper re-queues anything a crash left.
 */
@Injectable()
export class WebhookOutbox implements OnModuleInit {
  constructor(
    private readonly tx: TransactionService,
    private readonly jobs: JobsService,
    private readonly delivery: WebhookDeliveryService,
    private readonly events: DomainEventBus,
  ) {}

  onModuleInit(): void {
    // In the notification's transaction (the bus awaits it there): no notification without its deliveries.
    this.events.subscribe(NotificationRecorded, ({ notificationId, notice }) =>
      this.enqueue(notificationId, notice),
    );
    this.jobs.define({
      name: DELIVERY_JOB,
      handler: (data) => this.delivery.attempt(String(data.deliveryId)),
    });
    this.jobs.define({ name: SWEEP_JOB, cron: '* * * * *', handler: () => this.sweep() });
  }

  async enqueue(notificationId: string, n: NotificationInput): Promise<void> {
    // A subscription is its owner's: delivered only what that user may read (country, permission and
    // the record's own rule, e.g. RED), checked now, in the notification's transaction.
    const rows: Array<{ id: string }> = await this.tx.manager.query(
      `INSERT INTO webhook_delivery (subscription_id, notification_id)
       SELECT s.id, $1 FROM webhook_subscription s JOIN app_user u ON u.id = s.created_by
        WHERE s.country_code = $2 AND s.active AND $3 = ANY(s.event_types)
          AND u.status = 'active' AND u.country_code = s.country_code
          AND ${userMayReadRecord(n.recordType, '$4::uuid', 'u')}
       RETURNING id`,
      [notificationId, n.countryCode, n.eventType, n.recordId],
    );
    if (rows.length) this.tx.afterCommit(() => this.queue(rows.map((r) => r.id)));
  }

  /**
   * Pending deliveries older than a minute get their job again (a crash between commit and queueing),
   * unless their job is only late: still queued or on its first attempt. Queued again beside it, the
   * delivery was attempted twice, the second time at once, outside its retry delays (probe r32). The
   * live-job test is in the query, before the LIMIT: 500 deliveries waiting on their jobs must not hide
   * one whose job was lost (test/webhooks). Oldest first.
   */
  async sweep(): Promise<void> {
    const rows: Array<{ id: string }> = await this.tx.manager.query(
      `SELECT d.id FROM webhook_delivery d
        WHERE d.status = 'pending' AND d.attempts = 0 AND d.created_at < now() - interval '1 minute'
          AND ${JobsService.noLiveJob('$1', 'd.id::text')}
        ORDER BY d.created_at, d.id LIMIT 500`,
      [DELIVERY_JOB],
    );
    await this.queue(rows.map((r) => r.id));
  }

  private async queue(deliveryIds: string[]): Promise<void> {
    for (const deliveryId of deliveryIds) {
      await this.jobs.send(DELIVERY_JOB, { deliveryId }, this.delivery.retryPolicy(deliveryId));
    }
  }
}
