import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../auth/require-permission.decorator';
import { UuidParam } from '../common/http/uuid-param';
import { ApiPageResponse } from '../common/pagination/api-page-response.decorator';
import type { Page } from '../common/pagination/page';
import { Ctx, RequestContext } from '../common/request-context';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { WorkflowStepDto } from '../workflow/dto/request-thread.dto';
import { RequestStepRoutes } from '../workflow/request-step-routes';
import { RequestThreadService } from '../workflow/request-thread.service';
import { WorkflowService } from '../workflow/workflow.service';
import {
  ConfirmHandoverDto,
  CreateRepatriationRequestDto,
  DropPersonDto,
  HandoverDto,
  ListRepatriationRequestsQueryDto,
  RepatriationRequestView,
  ScheduleDto,
  ScheduleView,
} from './dto/repatriation-request.dto';
import { RepatriationHandoverService } from './repatriation-handover.service';
import { RepatriationRequestsService } from './repatriation-requests.service';

@ApiTags('repatriation requests')
@ApiBearerAuth()
@Controller('repatriation-requests')
export class RepatriationRequestsController extends RequestStepRoutes<RepatriationRequestView>(
  'repatriation',
  RepatriationRequestView,
) {
  constructor(
    workflow: WorkflowService,
    thread: RequestThreadService,
    private readonly requests: RepatriationRequestsService,
    private readonly handovers: RepatriationHandoverService,
  ) {
    super(workflow, thread, requests);
  }

  @RequirePermission('requests.read')
  @Get()
  @ApiPageResponse(RepatriationRequestView)
  list(
    @Ctx() ctx: RequestContext,
    @Query() query: ListRepatriationRequestsQueryDto,
  ): Promise<Page<RepatriationRequestView>> {
    return this.requests.list(ctx, query);
  }

  @RequirePermission('requests.read')
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<RepatriationRequestView> {
    return this.requests.get(ctx, id);
  }

  /** An officer drafts a request for persons listed by arrest id (a second open request for one person: 409). */
  @RequirePermission('requests.create')
  @Idempotent()
  @Post()
  create(
    @Ctx() ctx: RequestContext,
    @Body() body: CreateRepatriationRequestDto,
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
  @HttpCode(200)
  drop(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: DropPersonDto,
  ): Promise<RepatriationRequestView> {
    return this.handovers.drop(ctx, id, body);
  }

  /** Target: accepted → fulfilled, once every person is handed over or dropped. */
  @RequirePermission('requests.act')
  @Post(':id/fulfil')
  @HttpCode(200)
  fulfil(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: WorkflowStepDto,
  ): Promise<RepatriationRequestView> {
    return this.requests.fulfil(ctx, id, body);
  }
}
