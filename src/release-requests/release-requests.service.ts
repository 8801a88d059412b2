import { Injectable } from '@nestjs/common';
import { requestScope } from '../access/scopes';
import { ValidationFailedError } from '../common/errors/domain-errors';
import { decodeCursor, Page, pageLimit, toPage } from '../common/pagination/page';
import { Actor, actorOf, RequestContext } from '../common/request-context';
import { draftIdOf } from '../common/references';
import { TransactionService } from '../database/transaction.service';
import { PersonsService } from '../persons/persons.service';
import { identifierKeys } from '../sharing/identifier-keys';
import { ReleaseService } from '../sharing/release.service';
import { CrossBorderRequest } from '../workflow/cross-border-request.entity';
import type { RequestKindViews } from '../workflow/request-step-routes';
import { WorkflowService } from '../workflow/workflow.service';
import type {
  CreateReleaseRequestDto,
  ListReleaseRequestsQueryDto,
  ReleaseRequestView,
} from './dto/release-request.dto';

const KIND = 'release' as const;

interface ReleasePayload {
  recipientCountry: string;
  personIds: string[];
  identifiers?: string[];
}

/** Consent to pass on: the holder asks, the originator's liaison accepts (a grant) or rejects. */
@Injectable()
export class ReleaseRequestsService implements RequestKindViews<ReleaseRequestView> {
  constructor(
    private readonly tx: TransactionService,
    private readonly workflow: WorkflowService,
    private readonly persons: PersonsService,
    private readonly releaseRule: ReleaseService,
  ) {}

  async create(ctx: RequestContext, dto: CreateReleaseRequestDto): Promise<ReleaseRequestView> {
    const actor = actorOf(ctx);
    const personIds = [...new Set(dto.personIds ?? [])];
    const identifiers = identifierKeys(dto.identifiers, 'identifiers');
    if ([actor.countryCode, dto.targetCountry].includes(dto.recipientCountry))
      throw new ValidationFailedError([
        { field: 'recipientCountry', message: 'recipientCountry must be a third country' },
      ]);
    if (!personIds.length && !identifiers.length)
      throw new ValidationFailedError([
        { field: 'personIds', message: 'name at least one person (personIds) or identifier (identifiers)' },
      ]);
    const request = await this.tx.run(async () => {
      await this.persons.requireVisible(ctx, personIds, 'personIds');
      const outgoing = personIds.map((personId) => ({
        personId,
        field: `personIds[${dto.personIds!.indexOf(personId)}]`,
      }));
      if (outgoing.length)
        await this.releaseRule.requireAskable(ctx, outgoing, dto.targetCountry, dto.recipientCountry);
      if (identifiers.length)
        await this.releaseRule.requireAskableIdentifiers(ctx, identifiers, dto.targetCountry);
      return this.workflow.createDraft(ctx, {
        kind: KIND,
        frameworkId: dto.frameworkId,
        targetCountry: dto.targetCountry,
        priority: dto.priority,
        handlingCode: dto.handlingCode,
        subject: dto.subject,
        payload: {
          recipientCountry: dto.recipientCountry,
          personIds,
          identifiers: [...new Set(identifiers.map((i) => i.key))],
        } satisfies ReleasePayload,
      });
    });
    return this.viewFor(actor, request);
  }

  async list(ctx: RequestContext, query: ListReleaseRequestsQueryDto): Promise<Page<ReleaseRequestView>> {
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
    return {
      items: await Promise.all(page.items.map((r) => this.viewFor(actor, r))),
      nextCursor: page.nextCursor,
    };
  }

  async get(ctx: RequestContext, id: string): Promise<ReleaseRequestView> {
    return this.viewFor(actorOf(ctx), await this.workflow.findVisible(ctx, KIND, id));
  }

  async view(ctx: RequestContext, r: CrossBorderRequest): Promise<ReleaseRequestView> {
    return this.viewFor(actorOf(ctx), r);
  }

  /** The originator's liaison accepting is the consent: recorded in the step's own transaction. */
  async onStep(_ctx: RequestContext, action: string, request: CrossBorderRequest): Promise<void> {
    if (action !== 'accept') return;
    const payload = request.payload as unknown as ReleasePayload;
    await this.releaseRule.grant(
      { personIds: payload.personIds, identifiers: payload.identifiers ?? [] },
      request.originCountry,
      payload.recipientCountry,
      request.targetCountry,
      request.id,
    );
  }

  private async viewFor(actor: Actor, r: CrossBorderRequest): Promise<ReleaseRequestView> {
    const payload = r.payload as unknown as ReleasePayload;
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    return {
      id: r.id,
      reference: r.reference,
      draftId: draftIdOf(r.id),
      kind: KIND,
      direction: actor.countryCode === r.originCountry ? 'outbound' : 'inbound',
      originCountry: r.originCountry,
      targetCountry: r.targetCountry,
      recipientCountry: payload.recipientCountry,
      frameworkId: r.frameworkId,
      priority: r.priority,
      handlingCode: r.handlingCode,
      status: r.status,
      subject: r.subject,
      personIds: payload.personIds,
      identifiers: payload.identifiers ?? [],
      granted: r.acceptedAt !== null,
      sentAt: iso(r.sentAt),
      dueAt: iso(r.dueAt),
      acceptedAt: iso(r.acceptedAt),
      allowedActions: await this.workflow.actionsFor(actor, r),
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      version: r.version,
    };
  }
}
