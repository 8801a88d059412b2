import { Body, Get, HttpCode, Post, Type } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';
import { RequirePermission } from '../auth/require-permission.decorator';
import { UuidParam } from '../common/http/uuid-param';
import { Ctx, RequestContext } from '../common/request-context';
import type { CrossBorderRequest, RequestKind } from './cross-border-request.entity';
import {
  HistoryEntryView,
  MessageView,
  PostMessageDto,
  ReasonedStepDto,
  WorkflowStepDto,
} from './dto/request-thread.dto';
import type { RequestThreadService } from './request-thread.service';
import type { WorkflowService } from './workflow.service';

/** How a request kind shows one of its requests to a caller. */
export interface RequestKindViews<V> {
  view(ctx: RequestContext, request: CrossBorderRequest): Promise<V>;
  /**
   * The kind's own work inside a shared step's transaction, before the status changes (for example,
   * freeing the persons or accounts of a withdrawn request).
   */
  onStep?(ctx: RequestContext, action: string, request: CrossBorderRequest): Promise<void>;
}

/**
 * The routes every request kind shares — the life-cycle steps without data of their own, the status
 * history and the message thread — mounted under the kind's controller path. A kind's controller
 * extends this and adds its own steps (`fulfil`, `assign`, per-target execution, …).
 */
export function RequestStepRoutes<V>(kind: RequestKind, view: Type<V>) {
  // The swagger plugin cannot see through the generic `V`, so the kind's view type is named here.
  const answersView = ApiOkResponse({ type: view });
  abstract class SharedRequestRoutes {
    constructor(
      protected readonly workflow: WorkflowService,
      protected readonly thread: RequestThreadService,
      protected readonly views: RequestKindViews<V>,
    ) {}

    protected async step(
      ctx: RequestContext,
      id: string,
      action: string,
      body: WorkflowStepDto,
      outcome?: CrossBorderRequest['outcome'],
    ): Promise<V> {
      const request = await this.workflow.transition(ctx, kind, id, action, {
        ...body,
        prepare: async (current) => {
          await this.views.onStep?.(ctx, action, current);
          return outcome ? { outcome } : {};
        },
      });
      return this.views.view(ctx, request);
    }

    /** Origin officer: draft → submitted. */
    @RequirePermission('requests.act')
    @Post(':id/submit')
    @HttpCode(200)
    @answersView
    submit(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: WorkflowStepDto): Promise<V> {
      return this.step(ctx, id, 'submit', body);
    }

    /** Origin liaison (not the drafter or submitter): submitted → sent; the target sees it from now on. */
    @RequirePermission('requests.act')
    @Post(':id/approve')
    @HttpCode(200)
    @answersView
    approve(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: WorkflowStepDto): Promise<V> {
      return this.step(ctx, id, 'approve', body);
    }

    /** Origin liaison: submitted → draft, for changes. */
    @RequirePermission('requests.act')
    @Post(':id/return')
    @HttpCode(200)
    @answersView
    returnToDraft(
      @Ctx() ctx: RequestContext,
      @UuidParam() id: string,
      @Body() body: WorkflowStepDto,
    ): Promise<V> {
      return this.step(ctx, id, 'return', body);
    }

    /** Origin: draft, submitted or sent → withdrawn. */
    @RequirePermission('requests.act')
    @Post(':id/withdraw')
    @HttpCode(200)
    @answersView
    withdraw(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: WorkflowStepDto): Promise<V> {
      return this.step(ctx, id, 'withdraw', body);
    }

    /** Target liaison: sent → accepted. */
    @RequirePermission('requests.act')
    @Post(':id/accept')
    @HttpCode(200)
    @answersView
    accept(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: WorkflowStepDto): Promise<V> {
      return this.step(ctx, id, 'accept', body);
    }

    /** Target liaison: sent → rejected, with a reason. */
    @RequirePermission('requests.act')
    @Post(':id/reject')
    @HttpCode(200)
    @answersView
    reject(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: ReasonedStepDto): Promise<V> {
      const { reason, ...step } = body;
      return this.step(ctx, id, 'reject', step, { rejectionReason: reason });
    }

    /** Origin: fulfilled → closed. */
    @RequirePermission('requests.act')
    @Post(':id/close')
    @HttpCode(200)
    @answersView
    close(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: WorkflowStepDto): Promise<V> {
      return this.step(ctx, id, 'close', body);
    }

    /** Every step with its actor and country, oldest first. */
    @RequirePermission('requests.read')
    @Get(':id/history')
    @ApiOkResponse({ type: [HistoryEntryView] })
    history(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<HistoryEntryView[]> {
      return this.thread.history(ctx, kind, id);
    }

    /** The thread between both sides, open from `sent` on. */
    @RequirePermission('requests.read')
    @Get(':id/messages')
    @ApiOkResponse({ type: [MessageView] })
    messages(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<MessageView[]> {
      return this.thread.messages(ctx, kind, id);
    }

    @RequirePermission('requests.act')
    @Post(':id/messages')
    @ApiCreatedResponse({ type: MessageView })
    postMessage(
      @Ctx() ctx: RequestContext,
      @UuidParam() id: string,
      @Body() body: PostMessageDto,
    ): Promise<MessageView> {
      return this.thread.post(ctx, kind, id, body.body);
    }
  }
  return SharedRequestRoutes;
}
