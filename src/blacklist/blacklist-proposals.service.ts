import { Injectable } from '@nestjs/common';
import { Actor, actorOf, RequestContext } from '../common/request-context';
import type { CrossBorderRequest } from '../workflow/cross-border-request.entity';
import { RequestKindRegistry } from '../workflow/request-kind-registry';
import { RequestViewsService } from '../workflow/request-views.service';
import { WorkflowService } from '../workflow/workflow.service';
import { BlacklistDraftEditsService } from './blacklist-draft-edits.service';
import { BLACKLIST_PROPOSAL_KIND } from './blacklist-proposal.kind';
import { BlacklistService } from './blacklist.service';
import type { BlacklistProposalView } from './dto/blacklist.dto';

const KIND = 'blacklist' as const;

/**
 * Blacklist proposals: the `blacklist` requests that carry entries from the proposing to the banning
 * country. The engine serves their routes, list and header; this adds the entries to the view.
 */
@Injectable()
export class BlacklistProposalsService {
  constructor(
    private readonly entries: BlacklistService,
    private readonly workflow: WorkflowService,
    private readonly views: RequestViewsService,
    private readonly draftEdits: BlacklistDraftEditsService,
    kinds: RequestKindRegistry,
  ) {
    kinds.register(BLACKLIST_PROPOSAL_KIND, {
      viewExtras: (actor, items) => Promise.all(items.map(({ request }) => this.viewExtras(actor, request))),
      // The edit DTO (`EditBlacklistProposalDto`) admits its entries only: checked, and their new
      // persons put on record, once for every thread of the draft; then written thread by thread.
      prepareDraftEdit: (ctx, _draft, changes) => this.draftEdits.prepare(ctx, changes),
      editDraft: (ctx, draft, changes) => this.draftEdits.edit(ctx, draft, changes),
      draftNumbers: (draft) => this.draftEdits.draftNumbers(draft),
    });
  }

  /** A proposal as the caller sees it (the answer to proposing entries). */
  async get(ctx: RequestContext, id: string): Promise<BlacklistProposalView> {
    return this.views.view(actorOf(ctx), await this.workflow.findVisible(ctx, KIND, id));
  }

  /** The proposal's entries and how many of each decision so far. */
  private async viewExtras(actor: Actor, r: CrossBorderRequest) {
    const entries = await this.entries.entriesOf(actor, r.id);
    const count = (status: string) =>
      entries.filter((e) => e.status === status || (status === 'active' && e.status === 'expired')).length;
    return {
      kind: KIND,
      entryCounts: {
        proposed: count('proposed'),
        active: count('active'),
        rejected: count('rejected'),
        lifted: count('lifted'),
      },
      entries,
    } satisfies Partial<BlacklistProposalView>;
  }
}
