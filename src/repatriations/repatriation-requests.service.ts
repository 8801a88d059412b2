import { Injectable } from '@nestjs/common';
import { arrestScope, requestScope } from '../access/scopes';
import { AuditService } from '../audit/audit.service';
import { ArrestsService } from '../arrests/arrests.service';
import { CustodyStatus, IN_CUSTODY } from '../arrests/dto/arrest.dto';
import { ConflictError, FieldError, ValidationFailedError } from '../common/errors/domain-errors';
import { decodeCursor, Page, pageLimit, toPage } from '../common/pagination/page';
import { Actor, actorOf, RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import type { PersonName } from '../persons/person.entity';
import { CrossBorderRequest } from '../workflow/cross-border-request.entity';
import type { ReasonedStepDto, WorkflowStepDto } from '../workflow/dto/request-thread.dto';
import { WorkflowService } from '../workflow/workflow.service';
import type {
  ConfirmHandoverDto,
  CreateRepatriationRequestDto,
  DropPersonDto,
  DropReason,
  HandoverDto,
  ListRepatriationRequestsQueryDto,
  RepatriationPersonState,
  RepatriationPersonView,
  RepatriationRequestView,
  ScheduleDto,
  ScheduleView,
} from './dto/repatriation-request.dto';

const KIND = 'repatriation' as const;
const ONE_OPEN_INDEX = 'repatriation_person_one_open';

interface PersonRow {
  arrest_id: string;
  person_id: string;
  names: PersonName[];
  nationality: string;
  custody_status: CustodyStatus;
  handed_over_by: string | null;
  received_by: string | null;
  handed_over_at: Date | null;
  handover_place: string | null;
  handover_recorded_at: Date | null;
  handover_confirmed_at: Date | null;
  drop_reason: DropReason | null;
  drop_note: string | null;
  dropped_at: Date | null;
}

interface ScheduleRow {
  departure_at: Date;
  departure_point: string;
  arrival_point: string;
  carrier: string;
  flight_number: string | null;
  sending_escorts: string[];
  receiving_escorts: string[];
  notes: string | null;
  scheduled_by_country: string;
  scheduled_at: Date;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function stateOf(p: PersonRow): RepatriationPersonState {
  if (p.drop_reason) return 'dropped';
  if (p.handover_confirmed_at) return 'handed_over';
  if (p.handover_recorded_at) return 'awaiting_confirmation';
  return 'pending';
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as {
    code?: string;
    constraint?: string;
    driverError?: { code?: string; constraint?: string };
  };
  const code = e.code ?? e.driverError?.code;
  return code === '23505' && (e.constraint ?? e.driverError?.constraint) === constraint;
}

/**
 * Repatriation: the country holding arrested foreign nationals hands them over to their home country,
 * asked by either side. Built on the request engine; inside `accepted` the plan is scheduled, each
 * person's handover is recorded by the sending side and confirmed by the receiving side, or dropped.
 */
@Injectable()
export class RepatriationRequestsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly workflow: WorkflowService,
    private readonly arrests: ArrestsService,
    private readonly audit: AuditService,
  ) {}

  create(ctx: RequestContext, dto: CreateRepatriationRequestDto): Promise<RepatriationRequestView> {
    const actor = actorOf(ctx);
    return this.tx.run(async () => {
      if (dto.caseId) {
        const [own] = await this.tx.manager.query(
          `SELECT 1 FROM case_file WHERE id = $1 AND owner_country = $2`,
          [dto.caseId, actor.countryCode],
        );
        if (!own)
          throw new ValidationFailedError([
            { field: 'caseId', message: 'caseId must be a case of your country' },
          ]);
      }
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
      const busy: Array<{ reference: string }> = await this.tx.manager.query(
        `SELECT DISTINCT r.reference FROM repatriation_person rp JOIN cross_border_request r ON r.id = rp.request_id
          WHERE rp.open AND rp.person_id = ANY($1::uuid[])`,
        [personIds],
      );
      if (busy.length) throw this.alreadyOnOpenRequest(busy.map((b) => b.reference));

      const request = await this.workflow.createDraft(ctx, {
        kind: KIND,
        frameworkId: dto.frameworkId,
        targetCountry: dto.targetCountry,
        caseId: dto.caseId ?? null,
        priority: dto.priority,
        handlingCode: dto.handlingCode,
        subject: dto.subject,
        payload: { sendingCountry: sending, receivingCountry: receiving },
      });
      try {
        // The partial unique index is what makes this race-safe: of two concurrent requests for one
        // person, the second insert waits for the first to commit and then fails.
        await this.tx.manager.query(
          `INSERT INTO repatriation_person (request_id, arrest_id, person_id)
           SELECT $1, unnest($2::uuid[]), unnest($3::uuid[])`,
          [request.id, arrests.map((a) => a.id), personIds],
        );
      } catch (error) {
        if (isUniqueViolation(error, ONE_OPEN_INDEX)) throw this.alreadyOnOpenRequest([]);
        throw error;
      }
      // Linked like any request's persons, so the other side sees them from `sent` on.
      await this.tx.manager.query(
        `INSERT INTO request_person (request_id, person_id, added_by_side) SELECT $1, unnest($2::uuid[]), 'origin'`,
        [request.id, personIds],
      );
      return this.view(actor, request);
    });
  }

  async list(
    ctx: RequestContext,
    query: ListRepatriationRequestsQueryDto,
  ): Promise<Page<RepatriationRequestView>> {
    const actor = actorOf(ctx);
    const scope = requestScope(actor);
    const limit = pageLimit(query);
    const qb = this.tx.manager
      .getRepository(CrossBorderRequest)
      .createQueryBuilder('r')
      .where('r.kind = :kind', { kind: KIND })
      .andWhere(scope.sql, scope.params);
    if (query.status) qb.andWhere('r.status = :status', { status: query.status });
    if (query.direction === 'outbound') qb.andWhere('r.origin_country = :me', { me: actor.countryCode });
    if (query.direction === 'inbound') qb.andWhere('r.target_country = :me', { me: actor.countryCode });
    const after = decodeCursor(query.cursor);
    if (after) qb.andWhere('(r.created_at, r.id) < (:at, :id)', { at: after.at, id: after.id });
    const rows = await qb
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .take(limit + 1)
      .getMany();
    const page = toPage(
      rows,
      limit,
      (r) => ({ at: r.createdAt.toISOString(), id: r.id }),
      (r) => r,
    );
    const items: RepatriationRequestView[] = [];
    for (const r of page.items) items.push(await this.view(actor, r));
    return { items, nextCursor: page.nextCursor };
  }

  async get(ctx: RequestContext, id: string): Promise<RepatriationRequestView> {
    return this.view(actorOf(ctx), await this.workflow.findVisible(ctx, KIND, id));
  }

  /** submit, approve, return, accept, close: steps with no data of their own. */
  async step(
    ctx: RequestContext,
    id: string,
    action: string,
    dto: WorkflowStepDto,
  ): Promise<RepatriationRequestView> {
    return this.view(actorOf(ctx), await this.workflow.transition(ctx, KIND, id, action, dto));
  }

  /** Withdrawn: the persons are free for another request. */
  async withdraw(ctx: RequestContext, id: string, dto: WorkflowStepDto): Promise<RepatriationRequestView> {
    const request = await this.workflow.transition(ctx, KIND, id, 'withdraw', {
      ...dto,
      prepare: async () => (await this.release(id), {}),
    });
    return this.view(actorOf(ctx), request);
  }

  async reject(ctx: RequestContext, id: string, dto: ReasonedStepDto): Promise<RepatriationRequestView> {
    const request = await this.workflow.transition(ctx, KIND, id, 'reject', {
      ...dto,
      prepare: async () => {
        await this.release(id);
        return { outcome: { rejectionReason: dto.reason } };
      },
    });
    return this.view(actorOf(ctx), request);
  }

  /** Either side plans the transfer; a new plan replaces the current one and the old ones are kept. */
  async schedule(ctx: RequestContext, id: string, dto: ScheduleDto): Promise<RepatriationRequestView> {
    const actor = actorOf(ctx);
    const request = await this.workflow.transition(ctx, KIND, id, 'schedule', {
      version: dto.version,
      comment: dto.comment ?? `Scheduled ${dto.departureAt} ${dto.departurePoint} → ${dto.arrivalPoint}`,
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
    return this.view(actor, request);
  }

  async schedules(ctx: RequestContext, id: string): Promise<ScheduleView[]> {
    await this.workflow.findVisible(ctx, KIND, id);
    const rows: ScheduleRow[] = await this.tx.manager.query(
      `SELECT * FROM repatriation_schedule WHERE request_id = $1 ORDER BY id`,
      [id],
    );
    return rows.map((s) => this.scheduleView(s));
  }

  /** The sending side records who handed whom over to whom, when and where. Not complete until confirmed. */
  async handover(ctx: RequestContext, id: string, dto: HandoverDto): Promise<RepatriationRequestView> {
    const actor = actorOf(ctx);
    const arrestIds = dto.handovers.map((h) => h.arrestId);
    if (new Set(arrestIds).size !== arrestIds.length)
      throw new ValidationFailedError([{ field: 'handovers', message: 'each arrest may appear once' }]);
    const request = await this.workflow.transition(ctx, KIND, id, 'handover', {
      version: dto.version,
      comment: dto.comment ?? `Handover of ${arrestIds.length} person(s) recorded; awaiting confirmation`,
      prepare: async () => {
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
        return {};
      },
    });
    return this.view(actor, request);
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
      if (confirmed === dto.arrestIds.length) return this.view(actor, current);
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
    return this.view(actor, request);
  }

  /** The sending side takes a person off the request: released, charged locally, or deceased. */
  async drop(ctx: RequestContext, id: string, dto: DropPersonDto): Promise<RepatriationRequestView> {
    const actor = actorOf(ctx);
    const request = await this.workflow.transition(ctx, KIND, id, 'drop', {
      version: dto.version,
      comment: dto.comment ?? `Arrest ${dto.arrestId} dropped: ${dto.reason}`,
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
    return this.view(actor, request);
  }

  /** Only once every person is handed over (both sides signed) or dropped. */
  async fulfil(ctx: RequestContext, id: string, dto: WorkflowStepDto): Promise<RepatriationRequestView> {
    const request = await this.workflow.transition(ctx, KIND, id, 'fulfil', {
      ...dto,
      prepare: async () => {
        const [{ open }] = await this.tx.manager.query(
          `SELECT count(*)::int AS open FROM repatriation_person
            WHERE request_id = $1 AND handover_confirmed_at IS NULL AND drop_reason IS NULL`,
          [id],
        );
        if (open > 0)
          throw new ConflictError(
            `${open} person(s) are neither handed over (confirmed by both sides) nor dropped.`,
          );
        await this.release(id);
        return {};
      },
    });
    return this.view(actorOf(ctx), request);
  }

  private mayAct(actor: Actor): boolean {
    return actor.roles.includes('officer') || actor.roles.includes('liaison');
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
    await this.audit.record(ctx, {
      action: 'arrest.custody.change',
      recordType: 'arrest',
      ownerCountry: rows[0]!.arresting_country,
      counterpartCountry: actor.countryCode,
      after: { custodyStatus: 'repatriated' },
      details: { requestId, arrestIds: ids },
    });
  }

  private scheduleView(s: ScheduleRow): ScheduleView {
    return {
      departureAt: new Date(s.departure_at).toISOString(),
      departurePoint: s.departure_point,
      arrivalPoint: s.arrival_point,
      carrier: s.carrier,
      flightNumber: s.flight_number,
      sendingEscorts: s.sending_escorts,
      receivingEscorts: s.receiving_escorts,
      notes: s.notes,
      scheduledByCountry: s.scheduled_by_country,
      scheduledAt: new Date(s.scheduled_at).toISOString(),
    };
  }

  private async view(actor: Actor, r: CrossBorderRequest): Promise<RepatriationRequestView> {
    const rows: PersonRow[] = await this.tx.manager.query(
      `SELECT rp.*, p.names, a.nationality, a.custody_status
         FROM repatriation_person rp JOIN arrest a ON a.id = rp.arrest_id JOIN person p ON p.id = rp.person_id
        WHERE rp.request_id = $1 ORDER BY a.arrested_at, rp.arrest_id`,
      [r.id],
    );
    const [schedule]: ScheduleRow[] = await this.tx.manager.query(
      `SELECT * FROM repatriation_schedule WHERE request_id = $1 ORDER BY id DESC LIMIT 1`,
      [r.id],
    );
    const persons: RepatriationPersonView[] = rows.map((p) => ({
      arrestId: p.arrest_id,
      personId: p.person_id,
      names: p.names,
      nationality: p.nationality,
      custodyStatus: p.custody_status,
      state: stateOf(p),
      handover: p.handover_recorded_at
        ? {
            handedOverBy: p.handed_over_by!,
            receivedBy: p.received_by!,
            handedOverAt: iso(p.handed_over_at)!,
            place: p.handover_place!,
            recordedAt: iso(p.handover_recorded_at)!,
            confirmedAt: iso(p.handover_confirmed_at),
          }
        : null,
      drop: p.drop_reason
        ? { reason: p.drop_reason, note: p.drop_note, droppedAt: iso(p.dropped_at)! }
        : null,
    }));
    const count = (state: RepatriationPersonState) => persons.filter((p) => p.state === state).length;
    const origin = actor.countryCode === r.originCountry;
    return {
      id: r.id,
      reference: r.reference,
      kind: KIND,
      direction: origin ? 'outbound' : 'inbound',
      originCountry: r.originCountry,
      targetCountry: r.targetCountry,
      sendingCountry: r.payload.sendingCountry as string,
      receivingCountry: r.payload.receivingCountry as string,
      frameworkId: r.frameworkId,
      caseId: origin ? r.caseId : null,
      priority: r.priority,
      handlingCode: r.handlingCode,
      status: r.status,
      subject: r.subject,
      counts: {
        requested: persons.length,
        pending: count('pending'),
        awaitingConfirmation: count('awaiting_confirmation'),
        handedOver: count('handed_over'),
        dropped: count('dropped'),
      },
      persons,
      schedule: schedule ? this.scheduleView(schedule) : null,
      sentAt: iso(r.sentAt),
      dueAt: iso(r.dueAt),
      acceptedAt: iso(r.acceptedAt),
      fulfilledAt: iso(r.fulfilledAt),
      closedAt: iso(r.closedAt),
      rejectionReason: ((r.outcome ?? {}) as { rejectionReason?: string }).rejectionReason ?? null,
      allowedActions: this.workflow.allowedActions(actor, r),
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      version: r.version,
    };
  }
}
