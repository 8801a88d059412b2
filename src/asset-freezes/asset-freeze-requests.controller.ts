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
import { AssetFreezeExecutionService } from './asset-freeze-execution.service';
import { AssetFreezeRequestsService } from './asset-freeze-requests.service';
import { ASSET_FREEZE_KIND } from './asset-freeze.kind';
import {
  AssetFreezeRequestView,
  CloseOutStepDto,
  CreateAssetFreezeRequestDto,
  EditAssetFreezeRequestDto,
  FreezeStepDto,
  RecoverStepDto,
  ReleaseStepDto,
  ReturnStepDto,
} from './dto/asset-freeze-request.dto';

@ApiTags('asset freeze requests')
@ApiBearerAuth()
@Controller('asset-freeze-requests')
export class AssetFreezeRequestsController extends RequestStepRoutes<AssetFreezeRequestView>(
  ASSET_FREEZE_KIND,
  AssetFreezeRequestView,
  {
    create: {
      dto: CreateAssetFreezeRequestDto,
      summary: 'An origin officer drafts a request with its targets.',
    },
    // Its persons (behind an account, victims) may be taken off a draft: another of the origin's users
    // may read one only through it.
    edit: { dto: EditAssetFreezeRequestDto, reducesVisibility: true },
  },
) {
  constructor(
    workflow: WorkflowService,
    thread: RequestThreadService,
    views: RequestViewsService,
    edits: RequestDraftEditsService,
    private readonly requests: AssetFreezeRequestsService,
    private readonly execution: AssetFreezeExecutionService,
  ) {
    super(workflow, thread, views, edits);
  }

  protected override draft(
    ctx: RequestContext,
    body: CreateAssetFreezeRequestDto,
  ): Promise<AssetFreezeRequestView> {
    return this.requests.create(ctx, body);
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
}
