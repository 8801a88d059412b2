import { eventTimeBeforeDesk } from '../common/time/plausible-dates';
import { Injectable } from '@nestjs/common';
import { NotificationsService } from '../notifications/notifications.service';
import { AuditService } from '../audit/audit.service';
import { ArrestsService } from '../arrests/arrests.service';
import { CustodyStatus, IN_CUSTODY } from '../arrests/dto/arrest.dto';
import { ConflictError, ValidationFailedError } from '../common/errors/domain-errors';
import { Actor, actorOf, RequestContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { TransactionService } from '../database/transaction.service';
import { textsIn } from '../sharing/identifier-keys';
import { WorkflowService } from '../workflow/workflow.service';
import type {
  ConfirmHandoverDto,
  DropPersonDto,
  HandoverDto,
  RepatriationRequestView,
} from './dto/repatriation-request.dto';
import { PersonRow, RepatriationViewService } from './repatriation-view.service';

const KIND = 'repatriation' as const;

/**
 * The steps of a repatriation inside `accepted`, person by person: the sending side records handovers
 * or drops persons, the receiving side confirms handovers. Each is a request-engine step (history,
 * audit, version) whose data is written in the step's transaction.
 */
@Injectable()
export class RepatriationHandoverService {
  constructor(
    private readonly tx: TransactionService,
    private readonly workflow: WorkflowService,
    private readonly arrests: ArrestsService,
    private readonly audit: AuditService,
    private readonly views: RepatriationViewService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  /** The sending side records who handed whom over to whom, when and where. Not complete until confirmed. */
  async handover(ctx: RequestContext, id: string, dto: HandoverDto): Promise<RepatriationRequestView> {
    const actor = actorOf(ctx);
    const arrestIds = dto.handovers.map((h) => h.arrestId);
    if (new Set(arrestIds).size !== arrestIds.length)
      throw new ValidationFailedError([{ field: 'handovers', message: 'each arrest may appear once' }]);
    // Confirmation is stamped with the time it happens: a handover recorded as happening later would
    // be confirmed before it took place. No allowance for clock skew, for the same reason.
    const latest = this.clock.now().getTime();
    const future = dto.handovers.flatMap((h, i) =>
      Date.parse(h.handedOverAt) > latest
        ? [{ field: `handovers[${i}].handedOverAt`, message: 'handedOverAt must not be in the future' }]
        : eventTimeBeforeDesk(`handovers[${i}].handedOverAt`, h.handedOverAt),
    );
    if (future.length) throw new ValidationFailedError(future);
    const request = await this.workflow.transition(ctx, KIND, id, 'handover', {
      version: dto.version,
      comment: dto.comment ?? `Handover of ${arrestIds.length} person(s) recorded; awaiting confirmation`,
      // The receiving side reads all of it (who handed over, who received, where): weighed whole.
      texts: textsIn({ ...dto, comment: undefined }, ''),
      prepare: async (current) => {
        const rows = await this.lockPersons(id, arrestIds, 'handovers', (i) => `handovers[${i}].arrestId`);
        for (const r of rows) {
          if (r.drop_reason) throw new ConflictError(`Arrest ${r.arrest_id} was dropped from this request.`);
          if (r.handover_confirmed_at)
            throw new ConflictError(`Arrest ${r.arrest_id} was already handed over and confirmed.`);
          if (!IN_CUSTODY.includes(r.custody_status))
            throw new ConflictError(
              `Arrest ${r.arrest_id}: the person is ${r.custody_status}, not in custody, and cannot be handed over.`,
            );
        }
        await this.tx.manager.query(
          `UPDATE repatriation_person rp SET handed_over_by = x."handedOverBy", received_by = x."receivedBy",
                  handed_over_at = x."handedOverAt", handover_place = x.place,
                  handover_recorded_by = $2, handover_recorded_at = now()
             FROM jsonb_to_recordset($3::jsonb) AS x("arrestId" uuid, "handedOverBy" text, "receivedBy" text,
                  "handedOverAt" timestamptz, place text)
            WHERE rp.request_id = $1 AND rp.arrest_id = x."arrestId"`,
          [id, actor.userId, JSON.stringify(dto.handovers)],
        );
        // The receiving side must sign the handover off: tell its liaisons and officers.
        const receiving = current.payload.receivingCountry === current.originCountry ? 'origin' : 'target';
        await this.notifications.aboutRequest(current, 'repatriation.handover_to_confirm', receiving, {
          persons: arrestIds.length,
        });
        return {};
      },
    });
    return this.views.view(actor, request);
  }

  /**
   * The receiving side signs off handovers; each confirmed person is `repatriated`. Confirming what is
   * already confirmed changes nothing: no new step, no new version.
   */
  async confirmHandover(
    ctx: RequestContext,
    id: string,
    dto: ConfirmHandoverDto,
  ): Promise<RepatriationRequestView> {
    const actor = actorOf(ctx);
    const current = await this.workflow.findVisible(ctx, KIND, id);
    if (current.payload.receivingCountry === actor.countryCode && this.mayAct(actor)) {
      const [{ confirmed }] = await this.tx.manager.query(
        `SELECT count(*)::int AS confirmed FROM repatriation_person
          WHERE request_id = $1 AND arrest_id = ANY($2::uuid[]) AND handover_confirmed_at IS NOT NULL`,
        [id, dto.arrestIds],
      );
      if (confirmed === dto.arrestIds.length) return this.views.view(actor, current);
    }
    const request = await this.workflow.transition(ctx, KIND, id, 'confirm-handover', {
      version: dto.version,
      comment: dto.comment ?? `Handover of ${dto.arrestIds.length} person(s) confirmed`,
      prepare: async () => {
        const rows = await this.lockPersons(id, dto.arrestIds, 'arrestIds', (i) => `arrestIds[${i}]`);
        const toConfirm = rows.filter((r) => !r.handover_confirmed_at);
        for (const r of toConfirm) {
          if (r.drop_reason) throw new ConflictError(`Arrest ${r.arrest_id} was dropped from this request.`);
          if (!r.handover_recorded_at)
            throw new ConflictError(
              `The sending side has not recorded the handover of arrest ${r.arrest_id} yet.`,
            );
          if (r.handed_over_at && new Date(r.handed_over_at).getTime() > this.clock.now().getTime())
            throw new ValidationFailedError([
              {
                field: 'arrestIds',
                message: `the handover of arrest ${r.arrest_id} is recorded for a later time; it cannot be confirmed before it happens`,
              },
            ]);
          if (!IN_CUSTODY.includes(r.custody_status))
            throw new ConflictError(
              `Arrest ${r.arrest_id}: the person is ${r.custody_status} and cannot be handed over.`,
            );
        }
        const ids = toConfirm.map((r) => r.arrest_id);
        await this.tx.manager.query(
          `UPDATE repatriation_person SET handover_confirmed_by = $2, handover_confirmed_at = now()
            WHERE request_id = $1 AND arrest_id = ANY($3::uuid[])`,
          [id, actor.userId, ids],
        );
        await this.markRepatriated(ctx, actor, id, toConfirm);
        return {};
      },
    });
    return this.views.view(actor, request);
  }

  /** The sending side takes a person off the request: released, charged locally, or deceased. */
  async drop(ctx: RequestContext, id: string, dto: DropPersonDto): Promise<RepatriationRequestView> {
    const actor = actorOf(ctx);
    const request = await this.workflow.transition(ctx, KIND, id, 'drop', {
      version: dto.version,
      comment: dto.comment ?? `Arrest ${dto.arrestId} dropped: ${dto.reason}`,
      // The note is the receiving side's to read, and every other field of the step (the comment is the
      // engine's to weigh, by whom it reaches).
      texts: textsIn({ ...dto, comment: undefined }, ''),
      prepare: async () => {
        const [row] = await this.lockPersons(id, [dto.arrestId], 'arrestId', () => 'arrestId');
        if (row!.handover_confirmed_at) throw new ConflictError('This person was already handed over.');
        if (row!.drop_reason) throw new ConflictError('This person was already dropped.');
        await this.tx.manager.query(
          `UPDATE repatriation_person SET drop_reason = $3, drop_note = $4, dropped_by = $5, dropped_at = now()
            WHERE request_id = $1 AND arrest_id = $2`,
          [id, dto.arrestId, dto.reason, dto.note ?? null, actor.userId],
        );
        return {};
      },
    });
    return this.views.view(actor, request);
  }

  private mayAct(actor: Actor): boolean {
    return actor.roles.includes('officer') || actor.roles.includes('liaison');
  }

  /** The request's rows for these arrests, locked with their arrests; unknown ones are a 400. */
  private async lockPersons(
    requestId: string,
    arrestIds: string[],
    field: string,
    fieldOf: (index: number) => string,
  ): Promise<Array<PersonRow & { arresting_country: string }>> {
    const rows: Array<PersonRow & { arresting_country: string }> = await this.tx.manager.query(
      `SELECT rp.*, a.custody_status, a.arresting_country FROM repatriation_person rp JOIN arrest a ON a.id = rp.arrest_id
        WHERE rp.request_id = $1 AND rp.arrest_id = ANY($2::uuid[]) ORDER BY rp.arrest_id FOR UPDATE OF rp, a`,
      [requestId, arrestIds],
    );
    const found = new Set(rows.map((r) => r.arrest_id));
    const missing = arrestIds.flatMap((id, i) =>
      found.has(id) ? [] : [{ field: fieldOf(i), message: 'the arrest is not on this request' }],
    );
    if (missing.length) throw new ValidationFailedError(missing, `Some ${field} are not on this request.`);
    return rows;
  }

  private async markRepatriated(
    ctx: RequestContext,
    actor: Actor,
    requestId: string,
    rows: Array<PersonRow & { arresting_country: string }>,
  ): Promise<void> {
    if (!rows.length) return;
    const ids = rows.map((r) => r.arrest_id);
    await this.tx.manager.query(
      `UPDATE arrest SET custody_status = 'repatriated', version = version + 1, updated_at = now() WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const byStatus = new Map<CustodyStatus, string[]>();
    for (const r of rows)
      byStatus.set(r.custody_status, [...(byStatus.get(r.custody_status) ?? []), r.arrest_id]);
    for (const [from, arrestIds] of byStatus)
      await this.arrests.writeCustody(
        actor,
        arrestIds,
        from,
        'repatriated',
        'handover confirmed by both sides',
        requestId,
      );
    // One event per arrest, as an officer's custody change is: each arrest's own history and timeline
    // show it went home, and from which status.
    for (const r of rows)
      await this.audit.record(ctx, {
        action: 'arrest.custody.change',
        recordType: 'arrest',
        recordId: r.arrest_id,
        ownerCountry: r.arresting_country,
        counterpartCountry: actor.countryCode,
        before: { custodyStatus: r.custody_status },
        after: { custodyStatus: 'repatriated' },
        details: { requestId, reason: 'handover confirmed by both sides' },
      });
  }
}
