import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { NotFoundError, ValidationFailedError } from '../common/errors/domain-errors';
import { actorOf, RequestContext } from '../common/request-context';
import { AppConfig } from '../config/app-config.service';
import { returningRows } from '../database/returning';
import { TransactionService } from '../database/transaction.service';
import type { CreateWebhookDto, WebhookDeliveryView, WebhookView } from './dto/webhook.dto';
import { canonicalWebhookUrl, parseEgressAllowList, webhookUrlProblem } from './webhook-url';

type Row = {
  id: string;
  url: string;
  event_types: string[];
  active: boolean;
  consecutive_failures: number;
  disabled_reason: string | null;
  created_by: string;
  created_at: Date;
};
/**
 * A subscription as `viewer` reads it. What its deliveries tell (the failure count, the reason of a
 * switch-off after failures) only to its owner: it is delivered what the owner may read, RED requests
 * included, and another admin of the country watching the count rise would learn when those happened.
 * The others still see the subscription, its state, and may switch it off.
 */
const toView = (r: Row, viewer: string): WebhookView => ({
  id: r.id,
  url: r.url,
  eventTypes: r.event_types,
  active: r.active,
  ...(r.created_by === viewer
    ? { consecutiveFailures: r.consecutive_failures, disabledReason: r.disabled_reason }
    : {}),
  createdAt: new Date(r.created_at).toISOString(),
});

/** A country admin's webhook subscriptions; the secret is never shown again after creation. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  create(ctx: RequestContext, dto: CreateWebhookDto): Promise<WebhookView> {
    const actor = actorOf(ctx);
    const problem = webhookUrlProblem(
      dto.url,
      !this.config.isProduction && this.config.get('NODE_ENV') !== 'production',
      parseEgressAllowList(this.config.get('WEBHOOK_ALLOWED_HOSTS')),
    );
    if (problem) throw new ValidationFailedError([{ field: 'url', message: problem }]);
    const url = canonicalWebhookUrl(dto.url);
    return this.tx.run(async () => {
      const [row] = await this.tx.manager.query(
        `INSERT INTO webhook_subscription (country_code, url, event_types, secret, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
        [actor.countryCode, url, dto.eventTypes, dto.secret, actor.userId],
      );
      await this.audit.record(ctx, {
        action: 'webhook.create',
        recordType: 'webhook',
        recordId: row.id,
        ownerCountry: actor.countryCode,
        after: { url, eventTypes: dto.eventTypes },
      });
      return toView(row, actor.userId);
    });
  }

  async list(ctx: RequestContext): Promise<WebhookView[]> {
    const actor = actorOf(ctx);
    const rows: Row[] = await this.tx.manager.query(
      `SELECT * FROM webhook_subscription WHERE country_code = $1 ORDER BY created_at DESC`,
      [actor.countryCode],
    );
    return rows.map((r) => toView(r, actor.userId));
  }

  setActive(ctx: RequestContext, id: string, active: boolean): Promise<WebhookView> {
    const actor = actorOf(ctx);
    return this.tx.run(async () => {
      const [row] = await returningRows<Row>(
        this.tx.manager,
        `UPDATE webhook_subscription SET active = $3, consecutive_failures = 0, disabled_reason = NULL, updated_at = now(), version = version + 1
          WHERE id = $1 AND country_code = $2 RETURNING *`,
        [id, actor.countryCode, active],
      );
      if (!row) throw new NotFoundError('The webhook');
      await this.audit.record(ctx, {
        action: active ? 'webhook.enable' : 'webhook.disable',
        recordType: 'webhook',
        recordId: id,
        ownerCountry: actor.countryCode,
        after: { active },
      });
      return toView(row, actor.userId);
    });
  }

  /**
   * The delivery log of a subscription, to the admin who made it: it shows the timing and kinds of
   * what that admin's own reading rights let through (RED traffic for a liaison's), which another
   * admin of the country may not read.
   */
  async deliveries(ctx: RequestContext, id: string): Promise<WebhookDeliveryView[]> {
    const actor = actorOf(ctx);
    const [own] = await this.tx.manager.query(
      `SELECT 1 FROM webhook_subscription WHERE id = $1 AND country_code = $2 AND created_by = $3`,
      [id, actor.countryCode, actor.userId],
    );
    if (!own) throw new NotFoundError('The webhook');
    const rows = await this.tx.manager.query(
      `SELECT d.id, d.notification_id, n.event_type, d.status, d.delivered_at,
              coalesce(json_agg(json_build_object('attemptedAt', a.attempted_at, 'statusCode', a.status_code, 'error', a.error, 'durationMs', a.duration_ms) ORDER BY a.id)
                       FILTER (WHERE a.id IS NOT NULL), '[]'::json) AS attempts
         FROM webhook_delivery d JOIN notification n ON n.id = d.notification_id LEFT JOIN webhook_attempt a ON a.delivery_id = d.id
        WHERE d.subscription_id = $1 GROUP BY d.id, n.event_type ORDER BY d.created_at DESC LIMIT 200`,
      [id],
    );
    return rows.map(
      (r: {
        id: string;
        notification_id: string;
        event_type: string;
        status: string;
        delivered_at: Date | null;
        attempts: WebhookDeliveryView['attempts'];
      }) => ({
        id: r.id,
        notificationId: r.notification_id,
        eventType: r.event_type,
        status: r.status,
        attempts: r.attempts.map((a) => ({ ...a, attemptedAt: new Date(a.attemptedAt).toISOString() })),
        deliveredAt: r.delivered_at ? new Date(r.delivered_at).toISOString() : null,
      }),
    );
  }
}
