import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../common/permissions/require-permission.decorator';
import { UuidParam } from '../common/http/uuid-param';
import { Ctx, RequestContext } from '../common/request-context';
import { RequestDraftEditsService } from '../workflow/request-draft-edits.service';
import { RequestStepRoutes } from '../workflow/request-step-routes';
import { RequestThreadService } from '../workflow/request-thread.service';
import { RequestViewsService } from '../workflow/request-views.service';
import { WorkflowService } from '../workflow/workflow.service';
import {
  CreateInformationRequestDto,
  EditInformationRequestDto,
  FulfilDto,
  InformationRequestView,
} from './dto/information-request.dto';
import { INFORMATION_REQUEST_KIND } from './information-request.kind';
import { InformationRequestsService } from './information-requests.service';

@ApiTags('information requests')
@ApiBearerAuth()
@Controller('information-requests')
export class InformationRequestsController extends RequestStepRoutes<InformationRequestView>(
  INFORMATION_REQUEST_KIND,
  InformationRequestView,
  {
    create: { dto: CreateInformationRequestDto, summary: 'An origin officer drafts a request.' },
    // Its persons may be taken off a draft: another of the origin's users may read one only through it.
    edit: { dto: EditInformationRequestDto, reducesVisibility: true },
  },
) {
  constructor(
    workflow: WorkflowService,
    thread: RequestThreadService,
    views: RequestViewsService,
    edits: RequestDraftEditsService,
    private readonly requests: InformationRequestsService,
  ) {
    super(workflow, thread, views, edits);
  }

  protected override draft(
    ctx: RequestContext,
    body: CreateInformationRequestDto,
  ): Promise<InformationRequestView> {
    return this.requests.create(ctx, body);
  }

  /** The assigned target officer (or a target liaison) answers with findings. */
  @RequirePermission('requests.act')
  @Post(':id/fulfil')
  @HttpCode(200)
  override fulfil(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: FulfilDto,
  ): Promise<InformationRequestView> {
    return this.requests.fulfil(ctx, id, body);
  }
}
