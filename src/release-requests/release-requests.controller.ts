import { Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '../common/request-context';
import { RequestDraftEditsService } from '../workflow/request-draft-edits.service';
import { RequestStepRoutes } from '../workflow/request-step-routes';
import { RequestThreadService } from '../workflow/request-thread.service';
import { RequestViewsService } from '../workflow/request-views.service';
import { WorkflowService } from '../workflow/workflow.service';
import {
  CreateReleaseRequestDto,
  EditReleaseRequestDto,
  ReleaseRequestView,
} from './dto/release-request.dto';
import { RELEASE_REQUEST_KIND } from './release-request.kind';
import { ReleaseRequestsService } from './release-requests.service';

/** Consent to pass on data received under GREEN or AMBER: the shared life cycle; `accept` grants it. */
@ApiTags('release requests')
@ApiBearerAuth()
@Controller('release-requests')
export class ReleaseRequestsController extends RequestStepRoutes<ReleaseRequestView>(
  RELEASE_REQUEST_KIND,
  ReleaseRequestView,
  {
    create: {
      dto: CreateReleaseRequestDto,
      summary: "The holding country's officer asks the originator for consent.",
    },
    edit: { dto: EditReleaseRequestDto },
  },
) {
  constructor(
    workflow: WorkflowService,
    thread: RequestThreadService,
    views: RequestViewsService,
    edits: RequestDraftEditsService,
    private readonly requests: ReleaseRequestsService,
  ) {
    super(workflow, thread, views, edits);
  }

  protected override draft(ctx: RequestContext, body: CreateReleaseRequestDto): Promise<ReleaseRequestView> {
    return this.requests.create(ctx, body);
  }
}
