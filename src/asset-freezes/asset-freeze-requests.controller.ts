import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../auth/require-permission.decorator';
import { UuidParam } from '../common/http/uuid-param';
import type { Page } from '../common/pagination/page';
import { Ctx, RequestContext } from '../common/request-context';
import { Idempotent } from '../idempotency/idempotent.decorator';
import {
  HistoryEntryView,
  MessageView,
  PostMessageDto,
  ReasonedStepDto,
  WorkflowStepDto,
} from '../workflow/dto/request-thread.dto';
import { RequestThreadService } from '../workflow/request-thread.service';
import { AssetFreezeExecutionService } from './asset-freeze-execution.service';
import { AssetFreezeRequestsService } from './asset-freeze-requests.service';
import {
  AssetFreezeRequestView,
  AssignFreezeDto,
  CloseOutStepDto,
  CreateAssetFreezeRequestDto,
  FreezeStepDto,
  ListAssetFreezeRequestsQueryDto,
  RecoverStepDto,
  ReleaseStepDto,
  ReturnStepDto,
} from './dto/asset-freeze-request.dto';

const KIND = 'asset_freeze' as const;

@ApiTags('asset freeze requests')
@ApiBearerAuth()
@Controller('asset-freeze-requests')
export class AssetFreezeRequestsController {
  constructor(
    private readonly requests: AssetFreezeRequestsService,
    private readonly execution: AssetFreezeExecutionService,
    private readonly thread: RequestThreadService,
  ) {}

  /** Overdue inbound requests first, then newest first. */
  @RequirePermission('requests.read')
  @Get()
  list(
    @Ctx() ctx: RequestContext,
    @Query() query: ListAssetFreezeRequestsQueryDto,
  ): Promise<Page<AssetFreezeRequestView>> {
    return this.requests.list(ctx, query);
  }

  @RequirePermission('requests.read')
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<AssetFreezeRequestView> {
    return this.requests.get(ctx, id);
  }

  /** An origin officer drafts a request with its targets. */
  @RequirePermission('requests.create')
  @Idempotent()
  @Post()
  create(
    @Ctx() ctx: RequestContext,
    @Body() body: CreateAssetFreezeRequestDto,
  ): Promise<AssetFreezeRequestView> {
    return this.requests.create(ctx, body);
  }

  /** Origin officer: draft → submitted. */
  @RequirePermission('requests.act')
  @Post(':id/submit')
  @HttpCode(200)
  submit(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: WorkflowStepDto,
  ): Promise<AssetFreezeRequestView> {
    return this.requests.step(ctx, id, 'submit', body);
  }

  /** Origin liaison (not the drafter or submitter): submitted → sent; the target sees it and the deadline starts. */
  @RequirePermission('requests.act')
  @Post(':id/approve')
  @HttpCode(200)
  approve(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: WorkflowStepDto,
  ): Promise<AssetFreezeRequestView> {
    return this.requests.step(ctx, id, 'approve', body);
  }

  /** Origin liaison: submitted → draft, for changes. */
  @RequirePermission('requests.act')
  @Post(':id/return')
  @HttpCode(200)
  returnToDraft(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: WorkflowStepDto,
  ): Promise<AssetFreezeRequestView> {
    return this.requests.step(ctx, id, 'return', body);
  }

  /** Origin: draft, submitted or sent → withdrawn; its accounts may then go on a new request. */
  @RequirePermission('requests.act')
  @Post(':id/withdraw')
  @HttpCode(200)
  withdraw(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: WorkflowStepDto,
  ): Promise<AssetFreezeRequestView> {
    return this.requests.step(ctx, id, 'withdraw', body);
  }

  /** Target liaison: sent → accepted; execution starts. */
  @RequirePermission('requests.act')
  @Post(':id/accept')
  @HttpCode(200)
  accept(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: WorkflowStepDto,
  ): Promise<AssetFreezeRequestView> {
    return this.requests.step(ctx, id, 'accept', body);
  }

  /** Target liaison: sent → rejected, with a reason. */
  @RequirePermission('requests.act')
  @Post(':id/reject')
  @HttpCode(200)
  reject(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: ReasonedStepDto,
  ): Promise<AssetFreezeRequestView> {
    return this.requests.reject(ctx, id, body);
  }

  /** Target liaison hands the request to one of their officers (needed for RED requests). */
  @RequirePermission('requests.act')
  @Post(':id/assign')
  @HttpCode(200)
  assign(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: AssignFreezeDto,
  ): Promise<AssetFreezeRequestView> {
    return this.requests.assign(ctx, id, body);
  }

  /** Target officer or liaison: accepted → fulfilled, once every target has a final outcome. */
  @RequirePermission('requests.act')
  @Post(':id/fulfil')
  @HttpCode(200)
  fulfil(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: WorkflowStepDto,
  ): Promise<AssetFreezeRequestView> {
    return this.requests.fulfil(ctx, id, body);
  }

  /** Origin: fulfilled → closed. */
  @RequirePermission('requests.act')
  @Post(':id/close')
  @HttpCode(200)
  close(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: WorkflowStepDto,
  ): Promise<AssetFreezeRequestView> {
    return this.requests.step(ctx, id, 'close', body);
  }

  /** Target officer or liaison, while accepted: Records what the institution froze: outcome `frozen` (with the amount), `not_found` or `funds_moved`. */
  @RequirePermission('requests.act')
  @Post(':id/targets/:targetId/freeze')
  @HttpCode(200)
  freezeTarget(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @UuidParam('targetId') targetId: string,
    @Body() body: FreezeStepDto,
  ): Promise<AssetFreezeRequestView> {
    return this.execution.freeze(ctx, id, targetId, body);
  }

  /** Target officer or liaison, while accepted: Records an amount seized or forfeited out of the frozen funds. */
  @RequirePermission('requests.act')
  @Post(':id/targets/:targetId/recover')
  @HttpCode(200)
  recoverTarget(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @UuidParam('targetId') targetId: string,
    @Body() body: RecoverStepDto,
  ): Promise<AssetFreezeRequestView> {
    return this.execution.recover(ctx, id, targetId, body);
  }

  /** Target officer or liaison, while accepted: Records an amount returned to a victim, to whom and by what decision. */
  @RequirePermission('requests.act')
  @Post(':id/targets/:targetId/return')
  @HttpCode(200)
  returnFundsTarget(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @UuidParam('targetId') targetId: string,
    @Body() body: ReturnStepDto,
  ): Promise<AssetFreezeRequestView> {
    return this.execution.returnFunds(ctx, id, targetId, body);
  }

  /** Target officer or liaison, while accepted: Records an amount unfrozen, with the reason. */
  @RequirePermission('requests.act')
  @Post(':id/targets/:targetId/release')
  @HttpCode(200)
  releaseTarget(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @UuidParam('targetId') targetId: string,
    @Body() body: ReleaseStepDto,
  ): Promise<AssetFreezeRequestView> {
    return this.execution.release(ctx, id, targetId, body);
  }

  /** Target officer or liaison, while accepted: Declares a frozen target final although funds stay frozen (for example forfeited, or held under a court order). */
  @RequirePermission('requests.act')
  @Post(':id/targets/:targetId/close-out')
  @HttpCode(200)
  closeOutTarget(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @UuidParam('targetId') targetId: string,
    @Body() body: CloseOutStepDto,
  ): Promise<AssetFreezeRequestView> {
    return this.execution.closeOut(ctx, id, targetId, body);
  }

  @RequirePermission('requests.read')
  @Get(':id/history')
  history(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<HistoryEntryView[]> {
    return this.thread.history(ctx, KIND, id);
  }

  @RequirePermission('requests.read')
  @Get(':id/messages')
  messages(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<MessageView[]> {
    return this.thread.messages(ctx, KIND, id);
  }

  @RequirePermission('requests.act')
  @Post(':id/messages')
  postMessage(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: PostMessageDto,
  ): Promise<MessageView> {
    return this.thread.post(ctx, KIND, id, body.body);
  }
}
