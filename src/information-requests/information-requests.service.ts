import { Injectable } from '@nestjs/common';
import { requestScope } from '../access/scopes';
import { decodeCursor, Page, pageLimit, toPage } from '../common/pagination/page';
import { Actor, actorOf, RequestContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { draftIdOf } from '../common/references';
import { TransactionService } from '../database/transaction.service';
import { PersonsService } from '../persons/persons.service';
import { identifierKeys, numbersIn } from '../sharing/identifier-keys';
import { ReleaseService } from '../sharing/release.service';
import { CrossBorderRequest } from '../workflow/cross-border-request.entity';
import { isOverdue, OPEN_FOR_TARGET } from '../workflow/due-time';
import { WorkflowService } from '../workflow/workflow.service';
import type { RequestKindViews } from '../workflow/request-step-routes';
import type {
  CreateInformationRequestDto,
  FulfilDto,
  IdentifiersDto,
  InformationRequestView,
  ListInformationRequestsQueryDto,
} from './dto/information-request.dto';
import { requireOwnCase } from '../cases/own-case';
import type { AssignDto } from '../workflow/dto/request-thread.dto';

const KIND = 'information' as const;

/** Information sharing: questions about persons, phones, accounts and compounds, answered with findings. */
@Injectable()
export class InformationRequestsService implements RequestKindViews<InformationRequestView> {
  constructor(
    private readonly tx: TransactionService,
    private readonly workflow: WorkflowService,
    private readonly persons: PersonsService,
    private readonly release: ReleaseService,
    private readonly clock: Clock,
  ) {}

  async create(ctx: RequestContext, dto: CreateInformationRequestDto): Promise<InformationRequestView> {
    const actor = actorOf(ctx);
    const personIds = [...new Set(dto.personIds ?? [])].sort();
    const request = await this.tx.run(async () => {
      await requireOwnCase(this.tx.manager, dto.caseId, actor.countryCode);
      await this.persons.requireVisible(ctx, personIds, 'personIds');
      const request = await this.workflow.createDraft(ctx, {
        kind: KIND,
        frameworkId: dto.frameworkId,
        targetCountry: dto.targetCountry,
        caseId: dto.caseId ?? null,
        priority: dto.priority,
        handlingCode: dto.handlingCode,
        subject: dto.subject,
        payload: { questions: dto.questions, identifiers: dto.identifiers ?? {} },
      });
      await this.release.linkRequestPersons(
        ctx,
        request,
        personIds.map((personId) => ({ personId, field: `personIds[${dto.personIds!.indexOf(personId)}]` })),
        'origin',
      );
      await this.release.releaseIdentifiers(
        ctx,
        request,
        [
          ...identifierKeys(dto.identifiers, 'identifiers'),
          // Free text leaves with the request too: a number written into it is that number.
          ...numbersIn(dto.subject, 'subject'),
          ...dto.questions.flatMap((q, i) => numbersIn(q, `questions[${i}]`)),
        ],
        'origin',
      );
      return request;
    });
    return this.viewFor(actor, request, new Map([[request.id, personIds]]));
  }

  async list(
    ctx: RequestContext,
    query: ListInformationRequestsQueryDto,
  ): Promise<Page<InformationRequestView>> {
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
    if (query.counterpartCountry)
      qb.andWhere('(r.origin_country = :cp OR r.target_country = :cp)', { cp: query.counterpartCountry });
    if (query.priority) qb.andWhere('r.priority = :priority', { priority: query.priority });
    if (query.caseId)
      qb.andWhere('r.case_id = :caseId AND r.origin_country = :me', {
        caseId: query.caseId,
        me: actor.countryCode,
      });
    if (query.assignedToMe) qb.andWhere('r.assigned_to = :meUser', { meUser: actor.userId });
    if (query.overdue !== undefined) {
      const overdue = `coalesce(r.due_at < :now AND r.status IN (:...open), false)`;
      qb.andWhere(query.overdue ? overdue : `NOT ${overdue}`, {
        now: this.clock.now(),
        open: [...OPEN_FOR_TARGET],
      });
    }
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
    const persons = await this.originPersons(page.items.map((r) => r.id));
    return {
      items: await Promise.all(page.items.map((r) => this.viewFor(actor, r, persons))),
      nextCursor: page.nextCursor,
    };
  }

  async get(ctx: RequestContext, id: string): Promise<InformationRequestView> {
    return this.viewFor(actorOf(ctx), await this.workflow.findVisible(ctx, KIND, id));
  }

  async assign(ctx: RequestContext, id: string, dto: AssignDto): Promise<InformationRequestView> {
    return this.viewFor(actorOf(ctx), await this.workflow.assignOfficer(ctx, KIND, id, dto));
  }

  async fulfil(ctx: RequestContext, id: string, dto: FulfilDto): Promise<InformationRequestView> {
    const request = await this.workflow.transition(ctx, KIND, id, 'fulfil', {
      ...dto,
      prepare: async (current) => {
        const found = [];
        for (const person of dto.findings.persons ?? [])
          found.push((await this.persons.createOwned(ctx, person)).id);
        await this.release.linkRequestPersons(
          ctx,
          current,
          found.map((personId, i) => ({ personId, field: `findings.persons[${i}]` })),
          'target',
        );
        await this.release.releaseIdentifiers(
          ctx,
          current,
          [
            ...identifierKeys(dto.findings.identifiers, 'findings.identifiers'),
            ...numbersIn(dto.findings.summary, 'findings.summary'),
          ],
          'target',
        );
        return {
          outcome: {
            summary: dto.findings.summary,
            identifiers: dto.findings.identifiers ?? {},
            personIds: found,
          },
        };
      },
    });
    return this.viewFor(actorOf(ctx), request);
  }

  view(ctx: RequestContext, r: CrossBorderRequest): Promise<InformationRequestView> {
    return this.viewFor(actorOf(ctx), r);
  }

  /** The persons the origin linked, for a page of requests in one query. */
  private async originPersons(ids: string[]): Promise<Map<string, string[]>> {
    const rows: Array<{ request_id: string; person_id: string }> = await this.tx.manager.query(
      `SELECT request_id, person_id FROM request_person WHERE request_id = ANY($1::uuid[]) AND added_by_side = 'origin' ORDER BY person_id`,
      [ids],
    );
    const byRequest = new Map<string, string[]>(ids.map((id) => [id, []]));
    for (const row of rows) byRequest.get(row.request_id)!.push(row.person_id);
    return byRequest;
  }

  private async viewFor(
    actor: Actor,
    r: CrossBorderRequest,
    persons?: Map<string, string[]>,
  ): Promise<InformationRequestView> {
    const personIds = (persons ?? (await this.originPersons([r.id]))).get(r.id) ?? [];
    const outcome = (r.outcome ?? {}) as {
      summary?: string;
      identifiers?: IdentifiersDto;
      personIds?: string[];
      rejectionReason?: string;
    };
    const origin = actor.countryCode === r.originCountry;
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    return {
      id: r.id,
      reference: r.reference,
      draftId: draftIdOf(r.id),
      kind: KIND,
      direction: origin ? 'outbound' : 'inbound',
      originCountry: r.originCountry,
      targetCountry: r.targetCountry,
      frameworkId: r.frameworkId,
      caseId: origin ? r.caseId : null,
      priority: r.priority,
      handlingCode: r.handlingCode,
      status: r.status,
      subject: r.subject,
      questions: (r.payload.questions as string[]) ?? [],
      identifiers: (r.payload.identifiers as IdentifiersDto) ?? {},
      personIds,
      findings:
        outcome.summary !== undefined
          ? {
              summary: outcome.summary,
              identifiers: outcome.identifiers ?? {},
              personIds: outcome.personIds ?? [],
            }
          : null,
      assignedTo: r.assignedTo,
      sentAt: iso(r.sentAt),
      dueAt: iso(r.dueAt),
      overdue: isOverdue(r, this.clock.now()),
      acceptedAt: iso(r.acceptedAt),
      fulfilledAt: iso(r.fulfilledAt),
      closedAt: iso(r.closedAt),
      rejectionReason: outcome.rejectionReason ?? null,
      allowedActions: await this.workflow.actionsFor(actor, r),
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      version: r.version,
    };
  }
}
