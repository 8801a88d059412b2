import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { TransactionService } from '../database/transaction.service';
import { RedConsultations, WITHHELD_RED } from '../access/red-consultations';
import type { Page } from '../common/pagination/page';
import { actorOf, RequestContext } from '../common/request-context';
import type { RequestListQueryDto } from '../workflow/dto/request-list-query.dto';
import { RequestViewsService } from '../workflow/request-views.service';
import { WorkflowService } from '../workflow/workflow.service';
import type { RepatriationRequestView } from './dto/repatriation-request.dto';

const KIND = 'repatriation' as const;

/**
 * A repatriation request consulted: its view lists the persons to be sent home, by name, so reading it
 * is recorded as reading a person is — in the reader's own country's trail, never the other side's (a
 * read in the other country's trail would tell it when and how often its partner looked). The shared
 * routes' views (`RequestViewsService`) are built as for any kind; only the record of the read is this
 * kind's. A step's answer (schedule, handover…) shows the same view, and its own event records it.
 */
@Injectable()
export class RepatriationReadsService {
  constructor(
    private readonly workflow: WorkflowService,
    private readonly views: RequestViewsService,
    private readonly audit: AuditService,
    private readonly tx: TransactionService,
  ) {}

  /** `repatriation.read`, naming the persons shown. A request the caller may not see is a 404, recorded as that refusal only. */
  get(ctx: RequestContext, id: string): Promise<RepatriationRequestView> {
    const actor = actorOf(ctx);
    return this.audit.recordRead(
      ctx,
      async () =>
        this.views.view<RepatriationRequestView>(actor, await this.workflow.findVisible(ctx, KIND, id)),
      async (view) => ({
        action: 'repatriation.read',
        recordType: 'request',
        recordId: id,
        ownerCountry: actor.countryCode,
        details: { persons: await this.personsNamed(view, actor.countryCode) },
      }),
    );
  }

  /** `repatriation.list`, with the filters, the cursor and the requests shown (each with its persons). */
  list(ctx: RequestContext, query: RequestListQueryDto): Promise<Page<RepatriationRequestView>> {
    const actor = actorOf(ctx);
    const { limit: _limit, cursor, ...filters } = query;
    return this.audit.recordRead(
      ctx,
      () => this.views.list<RepatriationRequestView>(actor, KIND, query),
      (page) => ({
        action: 'repatriation.list',
        recordType: 'request',
        ownerCountry: actor.countryCode,
        details: { filters: { ...filters }, cursor: cursor ?? null, shown: page.items.map((r) => r.id) },
      }),
    );
  }

  /**
   * The persons a read names in its event. Who is on a RED request is for its named recipients only: the
   * target's auditors, who read the event, are told none of them (`WITHHELD_RED` in their place); the
   * origin reads its own request whole. Elsewhere a person held for RED recipients only is withheld.
   */
  private personsNamed(view: RepatriationRequestView, reader: string | null) {
    const ids = view.persons.map((p) => p.personId);
    if (view.handlingCode === 'RED' && view.targetCountry === reader) return ids.map(() => WITHHELD_RED);
    return new RedConsultations(this.tx.manager).named(ids, reader);
  }
}
