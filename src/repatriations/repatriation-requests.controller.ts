import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../common/permissions/require-permission.decorator';
import { ReducesVisibility } from '../database/replicas/read-route';
import { UuidParam } from '../common/http/uuid-param';
import { Ctx, RequestContext } from '../common/request-context';
import { RequestDraftEditsService } from '../workflow/request-draft-edits.service';
import { RequestStepRoutes } from '../workflow/request-step-routes';
import { RequestThreadService } from '../workflow/request-thread.service';
import { RequestViewsService } from '../workflow/request-views.service';
import { WorkflowService } from '../workflow/workflow.service';
import {
  ConfirmHandoverDto,
  CreateRepatriationRequestDto,
  DropPersonDto,
  EditRepatriationRequestDto,
  HandoverDto,
  RepatriationRequestView,
  ScheduleDto,
  ScheduleView,
} from './dto/repatriation-request.dto';
import { RepatriationHandoverService } from './repatriation-handover.service';
import { RepatriationRequestsService } from './repatriation-requests.service';
import { REPATRIATION_KIND } from './repatriation.kind';

@ApiTags('repatriation requests')
@ApiBearerAuth()
@Controller('repatriation-requests')
export class RepatriationRequestsController extends RequestStepRoutes<RepatriationRequestView>(
  REPATRIATION_KIND,
  RepatriationRequestView,
  {
    create: {
      dto: CreateRepatriationRequestDto,
      summary:
        'An officer drafts a request for persons listed by arrest id (a second open request for one person: 409).',
    },
    // An arrest taken off a draft takes its person off it, and the arrest from the person's country
    // when that country drafted it (`arrestScope`): another of the origin's users may read either only
    // through the draft.
    edit: { dto: EditRepatriationRequestDto, reducesVisibility: true },
  },
) {
  constructor(
    workflow: WorkflowService,
    thread: RequestThreadService,
    views: RequestViewsService,
    edits: RequestDraftEditsService,
    private readonly requests: RepatriationRequestsService,
    private readonly handovers: RepatriationHandoverService,
  ) {
    super(workflow, thread, views, edits);
  }

  protected override draft(
    ctx: RequestContext,
    body: CreateRepatriationRequestDto,
  ): Promise<RepatriationRequestView> {
    return this.requests.create(ctx, body);
  }

  /** Either side, once accepted: date, route, carrier, escorts. Re-scheduling keeps the earlier plans. */
  @RequirePermission('requests.act')
  @Post(':id/schedule')
  @HttpCode(200)
  schedule(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: ScheduleDto,
  ): Promise<RepatriationRequestView> {
    return this.requests.schedule(ctx, id, body);
  }

  @RequirePermission('requests.read')
  @Get(':id/schedules')
  schedules(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<ScheduleView[]> {
    return this.requests.schedules(ctx, id);
  }

  /** The sending side records handovers (who handed over, who received, when, where). */
  @RequirePermission('requests.act')
  @Post(':id/handover')
  @HttpCode(200)
  handover(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: HandoverDto,
  ): Promise<RepatriationRequestView> {
    return this.handovers.handover(ctx, id, body);
  }

  /** The receiving side confirms recorded handovers; the persons become `repatriated`. */
  @RequirePermission('requests.act')
  @Post(':id/confirm-handover')
  @HttpCode(200)
  confirmHandover(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: ConfirmHandoverDto,
  ): Promise<RepatriationRequestView> {
    return this.handovers.confirmHandover(ctx, id, body);
  }

  /** The sending side drops a person with a reason. */
  @RequirePermission('requests.act')
  @Post(':id/drop')
  // The person's country no longer reads the arrest through this request (`repatriationUnderWay`).
  @ReducesVisibility()
  @HttpCode(200)
  drop(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: DropPersonDto,
  ): Promise<RepatriationRequestView> {
    return this.handovers.drop(ctx, id, body);
  }
}
