import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../auth/require-permission.decorator';
import { UuidParam } from '../common/http/uuid-param';
import { ApiPageResponse } from '../common/pagination/api-page-response.decorator';
import type { Page } from '../common/pagination/page';
import { Ctx, RequestContext } from '../common/request-context';
import { WorkflowStepDto } from '../workflow/dto/request-thread.dto';
import { RequestStepRoutes } from '../workflow/request-step-routes';
import { RequestThreadService } from '../workflow/request-thread.service';
import { WorkflowService } from '../workflow/workflow.service';
import { BlacklistProposalsService } from './blacklist-proposals.service';
import { BlacklistProposalView, ListProposalsQueryDto } from './dto/blacklist.dto';

/** Blacklist proposals travel through the shared request life cycle (submit, approve, accept, …). */
@ApiTags('blacklist')
@ApiBearerAuth()
@Controller('blacklist-proposals')
export class BlacklistProposalsController extends RequestStepRoutes<BlacklistProposalView>(
  'blacklist',
  BlacklistProposalView,
) {
  constructor(
    workflow: WorkflowService,
    thread: RequestThreadService,
    private readonly proposals: BlacklistProposalsService,
  ) {
    super(workflow, thread, proposals);
  }

  @RequirePermission('blacklist.read')
  @Get()
  @ApiPageResponse(BlacklistProposalView)
  list(
    @Ctx() ctx: RequestContext,
    @Query() query: ListProposalsQueryDto,
  ): Promise<Page<BlacklistProposalView>> {
    return this.proposals.list(ctx, query);
  }

  @RequirePermission('blacklist.read')
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<BlacklistProposalView> {
    return this.proposals.get(ctx, id);
  }

  /** Banning-country liaison: accepted → fulfilled once every entry is decided. */
  @RequirePermission('requests.act')
  @Post(':id/fulfil')
  @HttpCode(200)
  fulfil(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: WorkflowStepDto,
  ): Promise<BlacklistProposalView> {
    return this.proposals.fulfil(ctx, id, body);
  }
}
