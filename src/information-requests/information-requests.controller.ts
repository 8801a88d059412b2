import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../auth/require-permission.decorator';
import { UuidParam } from '../common/http/uuid-param';
import { ApiPageResponse } from '../common/pagination/api-page-response.decorator';
import type { Page } from '../common/pagination/page';
import { Ctx, RequestContext } from '../common/request-context';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { AssignDto } from '../workflow/dto/request-thread.dto';
import { RequestStepRoutes } from '../workflow/request-step-routes';
import { RequestThreadService } from '../workflow/request-thread.service';
import { WorkflowService } from '../workflow/workflow.service';
import {
  CreateInformationRequestDto,
  FulfilDto,
  InformationRequestView,
  ListInformationRequestsQueryDto,
} from './dto/information-request.dto';
import { InformationRequestsService } from './information-requests.service';

@ApiTags('information requests')
@ApiBearerAuth()
@Controller('information-requests')
export class InformationRequestsController extends RequestStepRoutes<InformationRequestView>(
  'information',
  InformationRequestView,
) {
  constructor(
    workflow: WorkflowService,
    thread: RequestThreadService,
    private readonly requests: InformationRequestsService,
  ) {
    super(workflow, thread, requests);
  }

  @RequirePermission('requests.read')
  @Get()
  @ApiPageResponse(InformationRequestView)
  list(
    @Ctx() ctx: RequestContext,
    @Query() query: ListInformationRequestsQueryDto,
  ): Promise<Page<InformationRequestView>> {
    return this.requests.list(ctx, query);
  }

  @RequirePermission('requests.read')
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<InformationRequestView> {
    return this.requests.get(ctx, id);
  }

  /** An origin officer drafts a request. */
  @RequirePermission('requests.create')
  @Idempotent()
  @Post()
  create(
    @Ctx() ctx: RequestContext,
    @Body() body: CreateInformationRequestDto,
  ): Promise<InformationRequestView> {
    return this.requests.create(ctx, body);
  }

  /** Target liaison assigns one of their officers. */
  @RequirePermission('requests.act')
  @Post(':id/assign')
  @HttpCode(200)
  assign(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: AssignDto,
  ): Promise<InformationRequestView> {
    return this.requests.assign(ctx, id, body);
  }

  /** The assigned target officer (or a target liaison) answers with findings. */
  @RequirePermission('requests.act')
  @Post(':id/fulfil')
  @HttpCode(200)
  fulfil(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: FulfilDto,
  ): Promise<InformationRequestView> {
    return this.requests.fulfil(ctx, id, body);
  }
}
