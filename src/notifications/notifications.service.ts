import { Injectable } from '@nestjs/common';
import { arrestScope, caseScope, positional, requestScope, toldOnlyToRedRecipients } from '../access/scopes';
import { ForbiddenError, NotFoundError } from '../common/errors/domain-errors';
import { Permission, rolesGrant } from '../common/permissions/permissions';
import { decodeCursorWith, Page, pageLimit, toPage } from '../common/pagination/page';
import { Actor, actorOf, RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import { AuditService } from '../audit/audit.service';
import { DomainEventBus } from '../common/events/domain-event-bus';
import type { CrossBorderRequest } from '../workflow/cross-border-request.entity';
import type { HandOff } from '../workflow/hand-offs';
import type { NotificationView } from './dto/notification.dto';
import { NotificationRecorded } from './notification-recorded';
import type { NotificationEvent, NotificationInput } from '../common/notification-events';

/** The inbox orders by (unread, time, id), so its cursor carries all three. */
function decodeInboxCursor(cursor: string | undefined): { unread: number; at: string; id: string } | null {
  return decodeCursorWith(cursor, (v) => (v.unread === 0 || v.unread === 1 ? { unread: v.unread } : null));
}

/**
 * SQL: notification `n` is addressed to the actor and they may still read its record. Every path that
 * reads, marks or counts notifications uses it, so a count never includes one the inbox would hide (a
 * notification about a case whose share was revoked, say). `params` must hold the actor's user id,
 * country and roles as $1, $2 and $3; the scopes' parameters are appended.
 */
function readableBy(actor: Actor, params: unknown[]): string {
  const requests = positional(requestScope(actor, 'r'), params);
  const cases = positional(caseScope(actor, 'c'), params);
  const arrests = positional(arrestScope(actor, 'a'), params);
  // A notification addressed to one user (a correlation alert to a case's lead officer) passes no role
  // test of its own, so the record's read permission is asked here: a lead officer whose officer role
  // was taken away (now a screener or an admin, who read no case content) loses the alert with it.
  const may = (permission: Permission) => (rolesGrant(actor.roles, permission) ? 'true' : 'false');
  return `n.country_code = $2 AND (n.user_id = $1 OR (n.user_id IS NULL AND n.roles && $3::text[]))
    AND (n.record_type <> 'request' OR ${may('requests.read')} AND EXISTS (
          SELECT 1 FROM cross_border_request r WHERE r.id = n.record_id AND ${requests}))
    AND (n.record_type <> 'case' OR ${may('cases.read')} AND EXISTS (
          SELECT 1 FROM case_file c WHERE c.id = n.record_id AND ${cases}))
    AND (n.record_type <> 'arrest' OR ${may('arrests.read')} AND EXISTS (
          SELECT 1 FROM arrest a WHERE a.id = n.record_id AND ${arrests}))`;
}

/** The parts of a request any recipient may see; a RED request is named by its reference only. */
export function requestPayload(
  request: CrossBorderRequest,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    kind: request.kind,
    reference: request.reference,
    originCountry: request.originCountry,
    targetCountry: request.targetCountry,
    priority: request.priority,
    handlingCode: request.handlingCode,
    status: request.status,
    dueAt: request.dueAt?.toISOString() ?? null,
    ...(request.handlingCode === 'RED' ? {} : { subject: request.subject }),
    ...extra,
  };
}

/**
 * The notification outbox: written in the same transaction as the change that causes it, so a change
 * that rolls back notifies nobody and a committed one always does. Read in-app; webhook subscriptions
 * hear of each row through `NotificationRecorded` and are pushed to by the delivery job.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly events: DomainEventBus,
    private readonly audit: AuditService,
  ) {}

  async publish(n: NotificationInput): Promise<void> {
    if (!this.tx.inTransaction)
      throw new Error(`Notification '${n.eventType}' published outside a transaction`);
    const [row] = await this.tx.manager.query(
      `INSERT INTO notification (event_type, country_code, roles, user_id, record_type, record_id, reference, payload)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, created_at`,
      [
        n.eventType,
        n.countryCode,
        n.roles,
        n.userId ?? null,
        n.recordType,
        n.recordId,
        n.reference,
        n.payload,
      ],
    );
    // Webhooks subscribe to this (their outbox row commits with the notification); delivery is after commit.
    await this.events.publish(new NotificationRecorded(row.id, n));
  }

  /** Notifies about a request on one side: to `roles` of that side's country (RED: liaisons only). */
  async aboutRequest(
    request: CrossBorderRequest,
    eventType: NotificationEvent,
    side: 'origin' | 'target',
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    const roles =
      request.handlingCode === 'RED' && side === 'target'
        ? (['liaison'] as const)
        : (['liaison', 'officer'] as const);
    await this.publish({
      eventType,
      countryCode: side === 'origin' ? request.originCountry : request.targetCountry,
      roles: [...roles],
      recordType: 'request',
      recordId: request.id,
      reference: request.reference,
      payload: requestPayload(request, extra),
    });
  }

  /**
   * A hand-off inside one side's country (`HAND_OFFS`): to the holders of some roles there, or to named
   * users (an officer), each of whom reads the request (the inbox asks again when they read it).
   */
  async aboutHandOff(request: CrossBorderRequest, handOff: HandOff): Promise<void> {
    const countryCode = handOff.side === 'origin' ? request.originCountry : request.targetCountry;
    const base = {
      eventType: handOff.event,
      countryCode,
      recordType: 'request',
      recordId: request.id,
      reference: request.reference,
      payload: requestPayload(request),
    };
    if ('roles' in handOff.to) return this.publish({ ...base, roles: [...handOff.to.roles] });
    for (const userId of handOff.to.userIds) await this.publish({ ...base, roles: ['officer'], userId });
  }

  /** The caller's inbox: unread first, then newest first. */
  async inbox(
    ctx: RequestContext,
    query: { limit?: number; cursor?: string; unreadOnly?: boolean },
  ): Promise<Page<NotificationView>> {
    const actor = actorOf(ctx);
    const limit = pageLimit(query);
    const after = decodeInboxCursor(query.cursor);
    const [flag, at] = after ? [after.unread, after.at] : [null, null];
    const params: unknown[] = [
      actor.userId,
      actor.countryCode,
      actor.roles,
      flag,
      at,
      after?.id ?? null,
      query.unreadOnly ?? false,
      limit + 1,
    ];
    const rows: Array<{
      id: string;
      event_type: string;
      record_type: string;
      record_id: string;
      reference: string | null;
      payload: Record<string, unknown>;
      created_at: Date;
      read_at: Date | null;
      unread: number;
    }> = await this.tx.manager.query(
      `SELECT * FROM (
           SELECT n.id, n.event_type, n.record_type, n.record_id, n.reference, n.payload, n.created_at, r.read_at,
                  CASE WHEN r.read_at IS NULL THEN 1 ELSE 0 END AS unread
             FROM notification n
             LEFT JOIN notification_read r ON r.notification_id = n.id AND r.user_id = $1
            WHERE ${readableBy(actor, params)}
         ) x
         WHERE ($4::int IS NULL OR (x.unread, x.created_at, x.id) < ($4::int, $5::timestamptz, $6::uuid))
           AND ($7::boolean IS NOT TRUE OR x.unread = 1)
         ORDER BY x.unread DESC, x.created_at DESC, x.id DESC
         LIMIT $8`,
      params,
    );
    return toPage(
      rows,
      limit,
      (n) => ({ unread: n.unread, at: new Date(n.created_at).toISOString(), id: n.id }),
      (n) => ({
        id: n.id,
        eventType: n.event_type,
        recordType: n.record_type,
        recordId: n.record_id,
        reference: n.reference,
        payload: n.payload,
        createdAt: new Date(n.created_at).toISOString(),
        readAt: n.read_at ? new Date(n.read_at).toISOString() : null,
      }),
    );
  }

  markRead(ctx: RequestContext, id: string): Promise<void> {
    const actor = actorOf(ctx);
    return this.tx.run(async () => {
      const params: unknown[] = [actor.userId, actor.countryCode, actor.roles, id];
      const [visible] = await this.tx.manager.query(
        `SELECT 1 FROM notification n WHERE n.id = $4 AND ${readableBy(actor, params)}`,
        params,
      );
      if (!visible) throw new NotFoundError('The notification');
      const marked: unknown[] = await this.tx.manager.query(
        `INSERT INTO notification_read (notification_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING
         RETURNING 1`,
        [id, actor.userId],
      );
      // When the user acknowledged a warning (a deadline, an inbound request) is theirs to answer for;
      // marking it again changes nothing and is not an event.
      if (marked.length)
        await this.audit.record(ctx, {
          action: 'notification.read',
          recordType: 'notification',
          recordId: id,
          ownerCountry: actor.countryCode,
        });
    });
  }

  markAllRead(ctx: RequestContext): Promise<number> {
    const actor = actorOf(ctx);
    if (!actor.countryCode) throw new ForbiddenError('Only country users have an inbox.');
    return this.tx.run(async () => {
      const params: unknown[] = [actor.userId, actor.countryCode, actor.roles];
      // The event counts only what the country's auditors may know of: a notification about a RED request
      // the country is the target of, or about an arrest it reads only through one, goes to its named
      // recipients only, and counted, it told the auditors that such a request arrived, or that its
      // origin wrote on it or corrected its arrest, with nothing in their trail to explain it (probes
      // r43, r53; `toldOnlyToRedRecipients`, the rule `auditEventScope` applies to one read). The user
      // is told every one they marked.
      const [{ marked, told }]: Array<{ marked: number; told: number }> = await this.tx.manager.query(
        `WITH marked AS (
           INSERT INTO notification_read (notification_id, user_id)
           SELECT n.id, $1 FROM notification n WHERE ${readableBy(actor, params)}
           ON CONFLICT DO NOTHING RETURNING notification_id)
         SELECT count(*)::int AS marked,
                count(*) FILTER (WHERE NOT EXISTS (
                  SELECT 1 FROM notification n
                   WHERE n.id = m.notification_id AND ${toldOnlyToRedRecipients('n', '$2')}))::int AS told
           FROM marked m`,
        params,
      );
      if (told)
        await this.audit.record(ctx, {
          action: 'notification.read_all',
          recordType: 'notification',
          ownerCountry: actor.countryCode,
          details: { count: told },
        });
      return marked;
    });
  }
}
