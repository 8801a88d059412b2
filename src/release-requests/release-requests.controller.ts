import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../auth/require-permission.decorator';
import { UuidParam } from '../common/http/uuid-param';
import { ApiPageResponse } from '../common/pagination/api-page-response.decorator';
import type { Page } from '../common/pagination/page';
import { Ctx, RequestContext } from '../common/request-context';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { RequestStepRoutes } from '../workflow/request-step-routes';
import { RequestThreadService } from '../workflow/request-thread.service';
import { WorkflowService } from '../workflow/workflow.service';
import {
  CreateReleaseRequestDto,
  ListReleaseRequestsQueryDto,
  ReleaseRequestView,
} from './dto/release-request.dto';
import { ReleaseRequestsService } from './release-requests.service';

/** Consent to pass on data received under GREEN or AMBER: the shared life cycle; `accept` grants it. */
@ApiTags('release requests')
@ApiBearerAuth()
@Controller('release-requests')
export class ReleaseRequestsController extends RequestStepRoutes<ReleaseRequestView>(
  'release',
  ReleaseRequestView,
) {
  constructor(
    workflow: WorkflowService,
    thread: RequestThreadService,
    private readonly requests: ReleaseRequestsService,
  ) {
    super(workflow, thread, requests);
  }

  @RequirePermission('requests.read')
  @Get()
  @ApiPageResponse(ReleaseRequestView)
  list(
    @Ctx() ctx: RequestContext,
    @Query() query: ListReleaseRequestsQueryDto,
  ): Promise<Page<ReleaseRequestView>> {
    return this.requests.list(ctx, query);
  }

  @RequirePermission('requests.read')
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<ReleaseRequestView> {
    return this.requests.get(ctx, id);
  }

  /** The holding country's officer asks the originator for consent. */
  @RequirePermission('requests.create')
  @Idempotent()
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() body: CreateReleaseRequestDto): Promise<ReleaseRequestView> {
    return this.requests.create(ctx, body);
  }
}
