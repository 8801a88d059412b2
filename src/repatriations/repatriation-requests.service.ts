import { Injectable } from '@nestjs/common';
import { arrestScope, positional, requestScope } from '../access/scopes';
import { CustodyStatus, IN_CUSTODY } from '../arrests/dto/arrest.dto';
import { ConflictError, FieldError, ValidationFailedError } from '../common/errors/domain-errors';
import { requestLabelSql } from '../common/references';
import { actorOf, RequestContext } from '../common/request-context';
import { isUniqueViolation } from '../database/pg-errors';
import { TransactionService } from '../database/transaction.service';
import { ReleaseService } from '../sharing/release.service';
import { IdentifierReleaseService } from '../sharing/identifier-release.service';
import { textsIn } from '../sharing/identifier-keys';
import type { CrossBorderRequest } from '../workflow/cross-border-request.entity';
import type { DraftEdit } from '../workflow/request-kind';
import { RequestKindRegistry } from '../workflow/request-kind-registry';
import { WorkflowService } from '../workflow/workflow.service';
import { newRequest, RequestDraftsService } from '../workflow/request-drafts.service';
import { RepatriationViewService, ScheduleRow } from './repatriation-view.service';
import type {
  CreateRepatriationRequestDto,
  RepatriationRequestView,
  ScheduleDto,
  ScheduleView,
} from './dto/repatriation-request.dto';
import {
  anotherNationalityReason,
  arrestsOfAnotherNationality,
  REPATRIATION_KIND,
} from './repatriation.kind';
import { requireOwnCase } from '../cases/own-case';

const KIND = 'repatriation' as const;
/** One open request per arrest and side (its origin country): a draft is its own country's business. */
const ONE_OPEN_PER_SIDE_INDEX = 'repatriation_arrest_one_open_per_side';
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
    private readonly releaseRule: ReleaseService,
    private readonly identifierRelease: IdentifierReleaseService,
    kinds: RequestKindRegistry,
  ) {
    kinds.register(REPATRIATION_KIND, {
      viewExtras: (actor, items) =>
        Promise.all(items.map(({ request }) => this.views.viewExtras(actor, request))),
      onTransitionEnd: async (_ctx, { action, before }) => {
        if (action === 'approve') await this.markSent(before);
        await this.freePersonsWhenDone(action, before);
      },
      // The edit DTO (`EditRepatriationRequestDto`) admits its case only.
      editDraft: (ctx, draft, changes) => this.editDraft(ctx, draft, changes as { caseId?: string }),
    });
  }

  /** The kind's own part of a draft edit (`RequestDraftEditsService`): its case, one of the origin's own. */
  private async editDraft(
    ctx: RequestContext,
    draft: CrossBorderRequest,
    changes: { caseId?: string },
  ): Promise<DraftEdit> {
    const edit: DraftEdit = { fields: {}, before: {}, after: {} };
    if (changes.caseId !== undefined && changes.caseId !== draft.caseId) {
      await requireOwnCase(this.tx.manager, changes.caseId, actorOf(ctx).countryCode);
      edit.fields.caseId = changes.caseId;
      edit.before.caseId = draft.caseId;
      edit.after.caseId = changes.caseId;
    }
    return edit;
  }

  async create(ctx: RequestContext, dto: CreateRepatriationRequestDto): Promise<RepatriationRequestView> {
    const actor = actorOf(ctx);
    const request = await this.tx.run(async () => {
      await requireOwnCase(this.tx.manager, dto.caseId, actor.countryCode);
      if (dto.targetCountry === actor.countryCode)
        throw new ValidationFailedError([
          { field: 'targetCountry', message: 'targetCountry must be another country' },
        ]);
      const scope = arrestScope(actor);
      const arrests = await this.tx.manager
        .createQueryBuilder()
        .select(['a.id AS id', 'a.person_id AS person_id', 'a.arresting_country AS arresting_country'])
        .addSelect(['a.nationality AS nationality', 'a.custody_status AS custody_status'])
        .from('arrest', 'a')
        .where('a.id IN (:...ids)', { ids: dto.arrestIds })
        .andWhere(scope.sql, scope.params)
        .getRawMany<{
          id: string;
          person_id: string;
          arresting_country: string;
          nationality: string;
          custody_status: CustodyStatus;
        }>();
      if (arrests.length !== dto.arrestIds.length)
        throw new ValidationFailedError([
          { field: 'arrestIds', message: 'arrestIds names an arrest that does not exist' },
        ]);

      const pair = new Set([actor.countryCode, dto.targetCountry]);
      const sending = arrests[0]!.arresting_country;
      const receiving = sending === actor.countryCode ? dto.targetCountry : actor.countryCode!;
      const errors: FieldError[] = [];
      const seenPersons = new Set<string>();
      dto.arrestIds.forEach((id, i) => {
        const a = arrests.find((x) => x.id === id)!;
        const field = `arrestIds[${i}]`;
        if (!pair.has(a.arresting_country) || a.arresting_country !== sending)
          errors.push({
            field,
            message: `all arrests must be made by the same one of ${[...pair].join(' and ')}`,
          });
        else if (a.nationality !== receiving)
          errors.push({
            field,
            message: `the person is a national of ${a.nationality}, not of ${receiving}`,
          });
        else if (!IN_CUSTODY.includes(a.custody_status))
          errors.push({ field, message: `the person is no longer in custody (${a.custody_status})` });
        if (seenPersons.has(a.person_id)) errors.push({ field, message: 'the same person is listed twice' });
        seenPersons.add(a.person_id);
      });
      if (errors.length) throw new ValidationFailedError(errors);

      const personIds = arrests.map((a) => a.person_id);
      // Only requests the caller may read count: another country's arrest of the same person, on its
      // own request (a draft, another pair's), is its business and must not show through a 409. The
      // database holds the same line (migration 1763800500000): one open request per arrest and side,
      // one sent per arrest, so the other side's draft, or a RED request the caller is no recipient
      // of, never refuses this insert; the second side's `approve` meets the sent one (`markSent`).
      // The check holds a lock per person (in one order) until commit: two drafts for one person on two
      // arrests, made at once, each found the other not yet written and both were created; the index
      // below is per arrest and cannot see it. The second now waits, then finds the first.
      await this.tx.manager.query(
        `SELECT pg_advisory_xact_lock(hashtextextended('repatriation-person:' || $1 || ':' || p.id, 0))
           FROM (SELECT DISTINCT id FROM unnest($2::uuid[]) AS u(id) ORDER BY id) p`,
        [actor.countryCode, personIds],
      );
      const busyParams: unknown[] = [personIds];
      const readable = positional(requestScope(actor, 'r'), busyParams);
      const busy: Array<{ reference: string | null }> = await this.tx.manager.query(
        `SELECT DISTINCT ${requestLabelSql('r')} AS reference
           FROM repatriation_person rp JOIN cross_border_request r ON r.id = rp.request_id
          WHERE rp.open AND rp.person_id = ANY($1::uuid[]) AND ${readable}`,
        busyParams,
      );
      if (busy.length)
        throw this.alreadyOnOpenRequest(busy.flatMap((b) => (b.reference ? [b.reference] : [])));

      const request = await this.drafts.createDraft(
        ctx,
        newRequest(KIND, dto, { sendingCountry: sending, receivingCountry: receiving }),
      );
      try {
        // The partial unique index is what makes this race-safe: of two concurrent requests of one
        // country for one arrest, the second insert waits for the first to commit and then fails.
        await this.tx.manager.query(
          `INSERT INTO repatriation_person (request_id, arrest_id, person_id, origin_country)
           SELECT $1, unnest($2::uuid[]), unnest($3::uuid[]), $4`,
          [request.id, arrests.map((a) => a.id), personIds, actor.countryCode],
        );
      } catch (error) {
        // Only the caller's own country's open requests are under this index: ones it reads.
        if (isUniqueViolation(error, ONE_OPEN_PER_SIDE_INDEX)) throw this.alreadyOnOpenRequest([]);
        throw error;
      }
      // Linked like any request's persons, so the other side sees them from `sent` on.
      await this.releaseRule.linkRequestPersons(
        ctx,
        request,
        arrests.map((a) => ({ personId: a.person_id, field: `arrestIds[${dto.arrestIds.indexOf(a.id)}]` })),
        'origin',
      );
      await this.identifierRelease.releaseRequestArrests(ctx, request, arrestFields(dto.arrestIds), 'origin');
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
      if (isUniqueViolation(error, ONE_SENT_INDEX)) throw this.alreadyOnOpenRequest([]);
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

  private alreadyOnOpenRequest(references: string[]): ConflictError {
    return new ConflictError(
      `A person is already on another open repatriation request${references.length ? ` (${references.join(', ')})` : ''}.`,
    );
  }

  /** The request no longer holds its persons (withdrawn, rejected or fulfilled). */
  private async release(requestId: string): Promise<void> {
    await this.tx.manager.query(`UPDATE repatriation_person SET open = false WHERE request_id = $1`, [
      requestId,
    ]);
  }
}

/** The arrests a request lists, each named by its place in `arrestIds`. */
function arrestFields(arrestIds: string[]): Array<{ id: string; field: string }> {
  return arrestIds.map((id, i) => ({ id, field: `arrestIds[${i}]` }));
}
