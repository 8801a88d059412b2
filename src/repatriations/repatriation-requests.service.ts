import { Injectable } from '@nestjs/common';
import { ConflictError, ValidationFailedError } from '../common/errors/domain-errors';
import { actorOf, RequestContext } from '../common/request-context';
import { isUniqueViolation } from '../database/pg-errors';
import { TransactionService } from '../database/transaction.service';
import { textsIn } from '../sharing/identifier-keys';
import type { CrossBorderRequest } from '../workflow/cross-border-request.entity';
import { RequestKindRegistry } from '../workflow/request-kind-registry';
import { WorkflowService } from '../workflow/workflow.service';
import { newRequest, RequestDraftsService } from '../workflow/request-drafts.service';
import { RepatriationViewService, ScheduleRow } from './repatriation-view.service';
import type {
  CreateRepatriationRequestDto,
  EditRepatriationRequestDto,
  RepatriationRequestView,
  ScheduleDto,
  ScheduleView,
} from './dto/repatriation-request.dto';
import {
  anotherNationalityReason,
  arrestsOfAnotherNationality,
  REPATRIATION_KIND,
} from './repatriation.kind';
import { alreadyOnOpenRequest, RepatriationArrestListService } from './repatriation-arrest-list.service';
import { RepatriationDraftEditsService } from './repatriation-draft-edits.service';
import { requireOwnCase } from '../cases/own-case';

const KIND = 'repatriation' as const;
/** One sent (open) request per arrest: what both countries act on (migration 1763800500000). */
const ONE_SENT_INDEX = 'repatriation_arrest_one_sent';

/**
 * Repatriation: the country holding arrested foreign nationals hands them over to their home country,
 * asked by either side. Built on the request engine; inside `accepted` the plan is scheduled, each
 * person's handover is recorded by the sending side and confirmed by the receiving side, or dropped.
 * This service holds creation and the life cycle; `RepatriationHandoverService` the per-person steps.
 */
@Injectable()
export class RepatriationRequestsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly workflow: WorkflowService,
    private readonly drafts: RequestDraftsService,
    private readonly views: RepatriationViewService,
    private readonly arrestList: RepatriationArrestListService,
    private readonly draftEdits: RepatriationDraftEditsService,
    kinds: RequestKindRegistry,
  ) {
    kinds.register(REPATRIATION_KIND, {
      viewExtras: (actor, items) =>
        Promise.all(items.map(({ request }) => this.views.viewExtras(actor, request))),
      onTransitionEnd: async (_ctx, { action, before }) => {
        if (action === 'approve') await this.markSent(before);
        await this.freePersonsWhenDone(action, before);
      },
      // The edit DTO (`EditRepatriationRequestDto`) admits its case and its arrests.
      editDraft: (ctx, draft, changes) =>
        this.draftEdits.edit(ctx, draft, changes as Pick<EditRepatriationRequestDto, 'caseId' | 'arrestIds'>),
      draftNumbers: (draft) => this.draftEdits.draftNumbers(draft),
    });
  }

  async create(ctx: RequestContext, dto: CreateRepatriationRequestDto): Promise<RepatriationRequestView> {
    const actor = actorOf(ctx);
    const request = await this.tx.run(async () => {
      await requireOwnCase(this.tx.manager, dto.caseId, actor.countryCode);
      if (dto.targetCountry === actor.countryCode)
        throw new ValidationFailedError([
          { field: 'targetCountry', message: 'targetCountry must be another country' },
        ]);
      const { arrests, sendingCountry, receivingCountry } = await this.arrestList.check(
        ctx,
        dto.arrestIds,
        dto.targetCountry,
        null,
      );
      const request = await this.drafts.createDraft(
        ctx,
        newRequest(KIND, dto, { sendingCountry, receivingCountry }),
      );
      await this.arrestList.write(ctx, request, arrests);
      return request;
    });
    return this.views.view(actor, request);
  }

  /**
   * At `approve`, the request's arrests become the sent one's (`repatriation_arrest_one_sent`). Another
   * sent request for one of them can only be the other side's, sent to the approver's country (its own
   * side holds one open request per arrest), which its liaison reads: the conflict names it. The guard
   * `noOtherSentRequest` refuses the step before this; the index decides a race between the two sides.
   */
  private async markSent(request: CrossBorderRequest): Promise<void> {
    // The guard `everyPersonOfReceivingNationality` read the arrests before the request's row lock; a
    // nationality corrected since then is found here, where the arrests stay put until the commit.
    const corrected = await arrestsOfAnotherNationality(this.tx.manager, request, true);
    if (corrected.length) throw new ConflictError(anotherNationalityReason(request, corrected));
    try {
      await this.tx.manager.query(
        `UPDATE repatriation_person SET sent = true WHERE request_id = $1 AND open`,
        [request.id],
      );
    } catch (error) {
      if (isUniqueViolation(error, ONE_SENT_INDEX)) throw alreadyOnOpenRequest([]);
      throw error;
    }
  }

  /** A withdrawn, rejected or fulfilled request frees its persons for another request. */
  private async freePersonsWhenDone(action: string, request: CrossBorderRequest): Promise<void> {
    if (action === 'withdraw' || action === 'reject' || action === 'fulfil') await this.release(request.id);
  }

  /** Either side plans the transfer; a new plan replaces the current one and the old ones are kept. */
  async schedule(ctx: RequestContext, id: string, dto: ScheduleDto): Promise<RepatriationRequestView> {
    const actor = actorOf(ctx);
    const request = await this.workflow.transition(ctx, KIND, id, 'schedule', {
      version: dto.version,
      comment: dto.comment ?? `Scheduled ${dto.departureAt} ${dto.departurePoint} → ${dto.arrivalPoint}`,
      // The plan goes to the other side: a number written into any of its text is that number. Every
      // field of it, not a list (the comment is the engine's to weigh, by whom it reaches).
      texts: textsIn({ ...dto, comment: undefined }, ''),
      prepare: async () => {
        await this.tx.manager.query(
          `INSERT INTO repatriation_schedule (request_id, departure_at, departure_point, arrival_point, carrier, flight_number,
             sending_escorts, receiving_escorts, notes, scheduled_by, scheduled_by_country)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            id,
            dto.departureAt,
            dto.departurePoint,
            dto.arrivalPoint,
            dto.carrier,
            dto.flightNumber ?? null,
            dto.sendingEscorts,
            dto.receivingEscorts,
            dto.notes ?? null,
            actor.userId,
            actor.countryCode,
          ],
        );
        return {};
      },
    });
    return this.views.view(actor, request);
  }

  async schedules(ctx: RequestContext, id: string): Promise<ScheduleView[]> {
    await this.workflow.findVisible(ctx, KIND, id);
    const rows: ScheduleRow[] = await this.tx.manager.query(
      `SELECT * FROM repatriation_schedule WHERE request_id = $1 ORDER BY id`,
      [id],
    );
    return rows.map((s) => this.views.scheduleView(s));
  }

  /** The request no longer holds its persons (withdrawn, rejected or fulfilled). */
  private async release(requestId: string): Promise<void> {
    await this.tx.manager.query(`UPDATE repatriation_person SET open = false WHERE request_id = $1`, [
      requestId,
    ]);
  }
}
