import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { ConflictError } from '../common/errors/domain-errors';
import { DomainEventBus } from '../common/events/domain-event-bus';
import { actorOf, RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import type { RequestKind } from './cross-border-request.entity';
import type { HistoryEntryView, MessageView } from './dto/request-thread.dto';
import { numbersIn } from '../sharing/identifier-keys';
import { NoActiveFrameworkError } from '../sharing/release-refused.error';
import { IdentifierReleaseService } from '../sharing/identifier-release.service';
import { RequestMessagePosted } from './request-events';
import { commentReachesOtherSide, Side, TERMINAL_STATUSES } from './request-lifecycle';
import { WorkflowService } from './workflow.service';

/** The message thread (both sides, from `sent` on) and the status history of a request. */
@Injectable()
export class RequestThreadService {
  constructor(
    private readonly tx: TransactionService,
    private readonly workflow: WorkflowService,
    private readonly audit: AuditService,
    private readonly events: DomainEventBus,
    private readonly identifierRelease: IdentifierReleaseService,
  ) {}

  async messages(ctx: RequestContext, kind: RequestKind, id: string): Promise<MessageView[]> {
    await this.workflow.findVisible(ctx, kind, id);
    const rows: Array<{
      id: string;
      author_username: string;
      author_country: string;
      body: string;
      created_at: Date;
    }> = await this.tx.manager.query(
      `SELECT id, author_username, author_country, body, created_at FROM request_message WHERE request_id = $1 ORDER BY created_at, id`,
      [id],
    );
    return rows.map((m) => ({
      id: m.id,
      authorUsername: m.author_username,
      authorCountry: m.author_country,
      body: m.body,
      createdAt: new Date(m.created_at).toISOString(),
    }));
  }

  post(ctx: RequestContext, kind: RequestKind, id: string, body: string): Promise<MessageView> {
    const actor = actorOf(ctx);
    return this.tx.run(async () => {
      const request = await this.workflow.findVisible(ctx, kind, id);
      if (!request.sentAt) throw new ConflictError('Messages open once the request has been sent.');
      // Read again under a share lock so a close committing meanwhile cannot let a message in after it.
      const [{ status }] = await this.tx.manager.query(
        `SELECT status FROM cross_border_request WHERE id = $1 FOR SHARE`,
        [id],
      );
      if (TERMINAL_STATUSES.includes(status))
        throw new ConflictError(`The request is ${status}; its thread takes no more messages.`);
      // Nothing new reaches the other side once the framework the request relies on has ended.
      if (!(await this.workflow.frameworkActive(request)))
        throw new NoActiveFrameworkError(
          actor.countryCode!,
          actor.countryCode === request.originCountry ? request.targetCountry : request.originCountry,
        );
      // A message is the shared channel: a number written into it leaves as the number itself would.
      const side = actor.countryCode === request.originCountry ? 'origin' : 'target';
      await this.identifierRelease.releaseIdentifiers(ctx, request, numbersIn(body, 'body'), side);
      const [row] = await this.tx.manager.query(
        `INSERT INTO request_message (request_id, author_id, author_username, author_country, body) VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at`,
        [id, actor.userId, actor.username, actor.countryCode, body],
      );
      await this.audit.record(ctx, {
        action: 'request.message.post',
        recordType: 'request',
        recordId: id,
        ownerCountry: request.originCountry,
        counterpartCountry: request.targetCountry,
        details: { messageId: row.id },
      });
      const otherSide = side === 'origin' ? 'target' : 'origin';
      await this.events.publish(new RequestMessagePosted(request, otherSide, row.id));
      return {
        id: row.id,
        authorUsername: actor.username,
        authorCountry: actor.countryCode!,
        body,
        createdAt: new Date(row.created_at).toISOString(),
      };
    });
  }

  /**
   * The status history. The origin reads all of it; the target (which sees the request from `sent` on)
   * reads the rows from `approve` on. Comments of a side's internal steps stay on that side (the message
   * thread is the shared channel): the origin's `submit`, `approve`, `return`, `withdraw` notes, and
   * the target's `assign` note (which officer, and why). The target's decisions (`accept`, `reject`,
   * `fulfil` and the steps of carrying a request out) are its answer to the origin and are shown.
   */
  async history(ctx: RequestContext, kind: RequestKind, id: string): Promise<HistoryEntryView[]> {
    const request = await this.workflow.findVisible(ctx, kind, id);
    const asTarget = actorOf(ctx).countryCode !== request.originCountry;
    const rows: Array<{
      action: string;
      from_status: string | null;
      to_status: string;
      actor_username: string | null;
      actor_country: string | null;
      comment: string | null;
      at: Date;
    }> = await this.tx.manager.query(
      `SELECT action, from_status, to_status, actor_username, actor_country, comment, at
         FROM request_status_history h
        WHERE request_id = $1
          AND (NOT $2 OR h.id >= (SELECT min(s.id) FROM request_status_history s WHERE s.request_id = $1 AND s.action = 'approve'))
        ORDER BY id`,
      [id, asTarget],
    );
    const sideOf = (country: string | null): Side | null =>
      country === null ? null : country === request.originCountry ? 'origin' : 'target';
    const reader = asTarget ? 'target' : 'origin';
    // The engine weighs with the release rule exactly the comments this lets cross (`commentReachesOtherSide`).
    const shown = (action: string, side: Side | null) =>
      side === null || side === reader || commentReachesOtherSide(action, side);
    return rows.map((h) => ({
      action: h.action,
      fromStatus: h.from_status,
      toStatus: h.to_status,
      actorUsername: h.actor_username,
      actorCountry: h.actor_country,
      comment: shown(h.action, sideOf(h.actor_country)) ? h.comment : null,
      at: new Date(h.at).toISOString(),
    }));
  }
}
