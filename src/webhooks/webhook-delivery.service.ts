import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac } from 'node:crypto';
import type PgBoss from 'pg-boss';
import { DataSource } from 'typeorm';
import { userMayReadRecordOfType } from '../access/scopes';
import { AppConfig } from '../config/app-config.service';
import { insertAuditEvent } from '../audit/audit-event.writer';
import { systemContext } from '../common/request-context';
import { returningRows } from '../database/returning';
import { EgressAllowList, parseEgressAllowList, postWebhook } from './webhook-url';

/** Retries double from WEBHOOK_RETRY_DELAY_SECONDS; this many of them span about 24 hours at 30 s. */
export const RETRY_LIMIT = 12;
/** How long a claimed attempt keeps others off: well past its POST's 10 s timeout and its write. */
const ATTEMPT_LEASE = '2 minutes';
/** Consecutive failed attempts after which a subscription is switched off. */
export const DISABLE_AFTER_FAILURES = 50;

/** Who switches a subscription off after repeated failures, in the audit trail. */
const AUTO_SWITCH_OFF = systemContext('webhook-delivery');
const SWITCHED_OFF_REASON = 'disabled after repeated delivery failures';

interface DeliveryRow {
  id: string;
  status: string;
  attempts: number;
  subscription_id: string;
  url: string;
  secret: string;
  active: boolean;
  notification_id: string;
  event_type: string;
  record_type: string;
  record_id: string;
  reference: string | null;
  created_at: Date;
  readable: boolean;
}

export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Sends one delivery: JSON body, `X-CaseDesk-Timestamp` and `X-CaseDesk-Signature`
 * (HMAC-SHA256 of "timestamp.body" with the subscription's secret). A failure throws so pg-boss retries
 * it with exponential backoff; every attempt is logged.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger('Webhooks');
  private readonly allow: EgressAllowList;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {
    this.allow = parseEgressAllowList(config.get('WEBHOOK_ALLOWED_HOSTS'));
  }

  retryPolicy(deliveryId: string): PgBoss.SendOptions {
    return {
      retryLimit: RETRY_LIMIT,
      retryDelay: this.config.get('WEBHOOK_RETRY_DELAY_SECONDS'),
      retryBackoff: true,
      singletonKey: deliveryId,
    };
  }

  async attempt(deliveryId: string): Promise<void> {
    // The attempt is claimed before it is made: of two jobs of one delivery (a sweep beside a live job,
    // two instances), one POSTs, the other finds an attempt under way and ends (test/webhooks). A claim
    // older than ATTEMPT_LEASE (a process that died mid-attempt, counting nothing) is taken over when
    // pg-boss retries the job.
    const [claim] = await returningRows<{ attempts: number }>(
      this.dataSource.manager,
      `UPDATE webhook_delivery SET attempt_started_at = now()
        WHERE id = $1 AND status = 'pending'
          AND (attempt_started_at IS NULL OR attempt_started_at < now() - $2::interval)
        RETURNING attempts`,
      [deliveryId, ATTEMPT_LEASE],
    );
    if (!claim) return;
    // Whether it may be sent is read once claimed, not before: a claim can wait (for a pooled connection,
    // for the row) while an admin switches the subscription off or takes its owner's right away, on this
    // instance or another, and is answered. Read before, that change was overtaken by the POST (probe r35).
    const d = await this.read(deliveryId);
    if (!d || (await this.refused(d))) return;
    // The count as claimed.
    d.attempts = claim.attempts;
    // What happened to which record, nothing of its content: the receiver fetches the record through
    // the API, where the reader's rights apply.
    const body = JSON.stringify({
      id: d.notification_id,
      type: d.event_type,
      recordType: d.record_type,
      recordId: d.record_id,
      reference: d.reference,
      createdAt: new Date(d.created_at).toISOString(),
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const started = Date.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      statusCode = await postWebhook(d.url, {
        allow: this.allow,
        headers: {
          'content-type': 'application/json',
          'x-casedesk-timestamp': timestamp,
          'x-casedesk-signature': signature(d.secret, timestamp, body),
          'x-casedesk-delivery': d.id,
        },
        body,
        timeoutMs: 10_000,
      });
      if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    try {
      await this.record(d, statusCode, error, Date.now() - started);
    } catch (failed) {
      // Nothing of the attempt was written (its audit event could not be): the claim is given back.
      await this.dataSource.query(
        `UPDATE webhook_delivery SET attempt_started_at = NULL WHERE id = $1 AND status = 'pending'`,
        [d.id],
      );
      throw failed;
    }
    if (error && d.attempts + 1 <= RETRY_LIMIT) throw new Error(`webhook delivery ${d.id} failed: ${error}`);
  }

  /** The delivery, its subscription and notification, and whether the subscription's owner may read the record now. */
  private async read(deliveryId: string): Promise<DeliveryRow | undefined> {
    const [d] = (await this.dataSource.query(
      `SELECT d.id, d.status, d.attempts, s.id AS subscription_id, s.url, s.secret, s.active, n.id AS notification_id, n.event_type, n.record_type, n.record_id, n.reference, n.created_at,
              u.status = 'active' AND u.country_code = s.country_code
              AND ${userMayReadRecordOfType('n.record_type', 'n.record_id', 'u')} AS readable
         FROM webhook_delivery d JOIN webhook_subscription s ON s.id = d.subscription_id JOIN notification n ON n.id = d.notification_id
         JOIN app_user u ON u.id = s.created_by
        WHERE d.id = $1`,
      [deliveryId],
    )) as DeliveryRow[];
    return d;
  }

  /**
   * Ends a delivery that must never be sent: its subscription was switched off while it waited (by an
   * admin, or after repeated failures; its job ends here, so left `pending` it would read as still on its
   * way), or the owner may no longer read the record (role taken away, account disabled). The claim is
   * given back with it. Answers whether it was refused.
   */
  private async refused(d: DeliveryRow): Promise<boolean> {
    const reason = !d.active
      ? 'the subscription is switched off'
      : !d.readable
        ? 'the subscription owner may no longer read this record'
        : null;
    if (!reason) return false;
    await this.dataSource.query(
      `UPDATE webhook_delivery SET status = 'failed', last_error = $2, attempt_started_at = NULL
        WHERE id = $1 AND status = 'pending'`,
      [d.id, reason],
    );
    return true;
  }

  private async record(
    d: { id: string; attempts: number; subscription_id: string },
    statusCode: number | null,
    error: string | null,
    durationMs: number,
  ): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO webhook_attempt (delivery_id, status_code, error, duration_ms) VALUES ($1, $2, $3, $4)`,
        [d.id, statusCode, error, durationMs],
      );
      const finalFailure = error !== null && d.attempts + 1 > RETRY_LIMIT;
      await m.query(
        `UPDATE webhook_delivery SET attempts = attempts + 1, last_status_code = $2, last_error = $3,
                attempt_started_at = NULL,
                status = CASE WHEN $3::text IS NULL THEN 'delivered' WHEN $4 THEN 'failed' ELSE 'pending' END,
                delivered_at = CASE WHEN $3::text IS NULL THEN now() ELSE NULL END
          WHERE id = $1 AND status = 'pending'`,
        [d.id, statusCode, error, finalFailure],
      );
      if (error === null) {
        await m.query(`UPDATE webhook_subscription SET consecutive_failures = 0 WHERE id = $1`, [
          d.subscription_id,
        ]);
        return;
      }
      // The failure count only ever switches a subscription off: an admin's switch-off made while this
      // delivery was on its way stands (it reset the count), and a switch-off here is a change of state
      // the country's auditors read, as an admin's is.
      const [s] = await returningRows<{ switched_off: boolean; country_code: string }>(
        m,
        `WITH counted AS (
           SELECT id, consecutive_failures + 1 AS failures, active AND consecutive_failures + 1 >= $2 AS goes_off
             FROM webhook_subscription WHERE id = $1 FOR UPDATE)
         UPDATE webhook_subscription w
            SET consecutive_failures = c.failures,
                active = w.active AND NOT c.goes_off,
                disabled_reason = CASE WHEN c.goes_off THEN $3 ELSE w.disabled_reason END,
                updated_at = CASE WHEN c.goes_off THEN now() ELSE w.updated_at END,
                version = w.version + CASE WHEN c.goes_off THEN 1 ELSE 0 END
           FROM counted c WHERE w.id = c.id
         RETURNING c.goes_off AS switched_off, w.country_code`,
        [d.subscription_id, DISABLE_AFTER_FAILURES, SWITCHED_OFF_REASON],
      );
      if (!s?.switched_off) return;
      await insertAuditEvent(m, AUTO_SWITCH_OFF, {
        action: 'webhook.disable',
        recordType: 'webhook',
        recordId: d.subscription_id,
        ownerCountry: s.country_code,
        after: { active: false, reason: SWITCHED_OFF_REASON },
      });
      this.logger.warn(
        `Webhook subscription ${d.subscription_id} disabled after ${DISABLE_AFTER_FAILURES} failures`,
      );
    });
  }
}
