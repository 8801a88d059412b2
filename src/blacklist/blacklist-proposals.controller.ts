import { Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequestDraftEditsService } from '../workflow/request-draft-edits.service';
import { RequestStepRoutes } from '../workflow/request-step-routes';
import { RequestThreadService } from '../workflow/request-thread.service';
import { RequestViewsService } from '../workflow/request-views.service';
import { WorkflowService } from '../workflow/workflow.service';
import { BLACKLIST_PROPOSAL_KIND } from './blacklist-proposal.kind';
import { BlacklistProposalView, EditBlacklistProposalDto } from './dto/blacklist.dto';

/**
 * Blacklist proposals travel through the shared request life cycle (submit, approve, accept, …); the
 * banning country's liaison fulfils one once every entry is decided. Proposals are created with their
 * entries at `POST /blacklist-entries`.
 */
@ApiTags('blacklist')
@ApiBearerAuth()
@Controller('blacklist-proposals')
export class BlacklistProposalsController extends RequestStepRoutes<BlacklistProposalView>(
  BLACKLIST_PROPOSAL_KIND,
  BlacklistProposalView,
  {
    readPermission: 'blacklist.read',
    // An entry taken off a draft is deleted, and its person leaves the draft: another of the origin's
    // users may read either only through it.
    edit: { dto: EditBlacklistProposalDto, reducesVisibility: true },
  },
) {
  constructor(
    workflow: WorkflowService,
    thread: RequestThreadService,
    views: RequestViewsService,
    edits: RequestDraftEditsService,
  ) {
    super(workflow, thread, views, edits);
  }
}
