import { Injectable } from '@nestjs/common';
import { requestScope } from '../access/scopes';
import { decodeCursor, Page, pageLimit, toPage } from '../common/pagination/page';
import { Actor, actorOf, RequestContext } from '../common/request-context';
import { draftIdOf } from '../common/references';
import { TransactionService } from '../database/transaction.service';
import { CrossBorderRequest } from '../workflow/cross-border-request.entity';
import type { WorkflowStepDto } from '../workflow/dto/request-thread.dto';
import type { RequestKindViews } from '../workflow/request-step-routes';
import { WorkflowService } from '../workflow/workflow.service';
import { BlacklistService } from './blacklist.service';
import type { BlacklistProposalView, ListProposalsQueryDto } from './dto/blacklist.dto';

const KIND = 'blacklist' as const;

/** Blacklist proposals: the `blacklist` requests that carry entries from the proposing to the banning country. */
@Injectable()
export class BlacklistProposalsService implements RequestKindViews<BlacklistProposalView> {
  constructor(
    private readonly tx: TransactionService,
    private readonly workflow: WorkflowService,
    private readonly entries: BlacklistService,
  ) {}

  async get(ctx: RequestContext, id: string): Promise<BlacklistProposalView> {
    return this.view(ctx, await this.workflow.findVisible(ctx, KIND, id));
  }

  async list(ctx: RequestContext, query: ListProposalsQueryDto): Promise<Page<BlacklistProposalView>> {
    const actor = actorOf(ctx);
    const scope = requestScope(actor);
    const limit = pageLimit(query);
    const qb = this.tx.manager
      .getRepository(CrossBorderRequest)
      .createQueryBuilder('r')
      .where('r.kind = :kind', { kind: KIND })
      .andWhere(scope.sql, scope.params);
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

  /** The banning country closes its review once every entry is decided. */
  async fulfil(ctx: RequestContext, id: string, dto: WorkflowStepDto): Promise<BlacklistProposalView> {
    const request = await this.workflow.transition(ctx, KIND, id, 'fulfil', {
      ...dto,
      prepare: async () => {
        await this.entries.requireAllDecided(id);
        return {};
      },
    });
    return this.view(ctx, request);
  }

  view(ctx: RequestContext, request: CrossBorderRequest): Promise<BlacklistProposalView> {
    return this.viewFor(actorOf(ctx), request);
  }

  private async viewFor(actor: Actor, r: CrossBorderRequest): Promise<BlacklistProposalView> {
    const entries = await this.entries.entriesOf(actor, r.id);
    const count = (status: string) =>
      entries.filter((e) => e.status === status || (status === 'active' && e.status === 'expired')).length;
    return {
      id: r.id,
      reference: r.reference,
      draftId: draftIdOf(r.id),
      kind: KIND,
      direction: actor.countryCode === r.originCountry ? 'outbound' : 'inbound',
      originCountry: r.originCountry,
      targetCountry: r.targetCountry,
      frameworkId: r.frameworkId,
      priority: r.priority,
      handlingCode: r.handlingCode,
      status: r.status,
      subject: r.subject,
      entryCounts: {
        proposed: count('proposed'),
        active: count('active'),
        rejected: count('rejected'),
        lifted: count('lifted'),
      },
      entries,
      sentAt: r.sentAt?.toISOString() ?? null,
      dueAt: r.dueAt?.toISOString() ?? null,
      allowedActions: await this.workflow.actionsFor(actor, r),
      createdAt: r.createdAt.toISOString(),
      version: r.version,
    };
  }
}
