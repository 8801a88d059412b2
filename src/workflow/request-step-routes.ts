import { Body, Get, HttpCode, Patch, Post, Query, Type } from '@nestjs/common';
import { ReadsFromReplica, ReducesVisibility } from '../database/replicas/read-route';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { Permission } from '../common/permissions/permissions';
import { RequirePermission } from '../common/permissions/require-permission.decorator';
import { UuidParam } from '../common/http/uuid-param';
import { ApiPageResponse } from '../common/pagination/api-page-response.decorator';
import type { Page } from '../common/pagination/page';
import { actorOf, Ctx, RequestContext } from '../common/request-context';
import { Idempotent } from '../idempotency/idempotent.decorator';
import type { CrossBorderRequest } from './cross-border-request.entity';
import { EditRequestDraftDto } from './dto/request-draft-edit.dto';
import { RequestListQueryDto } from './dto/request-list-query.dto';
import {
  AssignDto,
  HistoryEntryView,
  MessageView,
  PostMessageDto,
  ReasonedStepDto,
  WorkflowStepDto,
} from './dto/request-thread.dto';
import type { RequestDraftEditsService } from './request-draft-edits.service';
import { DRAFT_EDIT_PERMISSION, type RequestKindDefinition } from './request-kind';
import type { RequestThreadService } from './request-thread.service';
import type { RequestViewsService } from './request-views.service';
import type { WorkflowService, TransitionInput } from './workflow.service';

export interface RequestKindRoutesOptions {
  /** The permission that reads the kind's requests (`requests.read` unless the kind says otherwise). */
  readPermission?: Permission;
  /**
   * `POST` under the kind's path drafts a request from this DTO (idempotent, `requests.create`); the
   * kind's controller implements `draft`.
   */
  create?: { dto: Type<unknown>; summary: string };
  /**
   * `PATCH …/:id` edits a draft (every kind has it): `dto`, the body (`EditRequestDraftDto`, subject and
   * priority, unless the kind edits more of its own through `editDraft`); `reducesVisibility`, when an
   * edit can take a person off the draft (another of the origin's users may read that person only
   * through it). Its permission is the kind's (`RequestKindDefinition.editPermission`), which the views
   * read too when they list `edit`.
   */
  edit?: { dto?: Type<EditRequestDraftDto>; reducesVisibility?: boolean };
}

/**
 * The routes every request kind shares — its list (every filter), one request, its create (with the
 * kind's DTO, when the kind has one), the edit of a draft, the life-cycle steps
 * without data of their own (a plain `fulfil` included), `assign` where the kind's table has it, the
 * status history and the message thread — mounted under the kind's controller path. A kind's controller
 * extends this with `draft` and its own steps, and may replace `fulfil` with one that takes data.
 */
export function RequestStepRoutes<V>(
  definition: RequestKindDefinition,
  view: Type<V>,
  options: RequestKindRoutesOptions = {},
) {
  const kind = definition.kind;
  const read = RequirePermission(options.readPermission ?? 'requests.read');
  // The swagger plugin cannot see through the generic `V`, so the kind's view type is named here.
  const answersView = ApiOkResponse({ type: view });
  abstract class SharedRequestRoutes {
    constructor(
      protected readonly workflow: WorkflowService,
      protected readonly thread: RequestThreadService,
      protected readonly views: RequestViewsService,
      protected readonly edits: RequestDraftEditsService,
    ) {}

    /** One step of the engine, answered with the request's view. */
    protected async step(
      ctx: RequestContext,
      id: string,
      action: string,
      body: WorkflowStepDto,
      outcome?: CrossBorderRequest['outcome'],
      prepare?: TransitionInput['prepare'],
      texts?: TransitionInput['texts'],
    ): Promise<V> {
      const request = await this.workflow.transition(ctx, kind, id, action, {
        version: body.version,
        comment: body.comment,
        prepare: prepare ?? (outcome ? async () => ({ outcome }) : undefined),
        texts,
      });
      return this.views.view<V>(actorOf(ctx), request);
    }

    /** The kind's own drafting (see `RequestKindRoutesOptions.create`). */
    protected draft(_ctx: RequestContext, _body: object): Promise<V> {
      throw new Error(`Request kind '${kind}' drafts no requests through this route`);
    }

    /** An origin officer drafts a request (routed only for kinds with a `create` option). */
    create(@Ctx() ctx: RequestContext, @Body() body: object): Promise<V> {
      return this.draft(ctx, body);
    }

    /**
     * Origin officer: changes a draft (a returned one too) before it is submitted; the fields left out
     * stay as they are (decorated below, with the kind's DTO).
     */
    edit(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: EditRequestDraftDto): Promise<V> {
      return this.edits
        .edit(ctx, kind, id, body)
        .then((request) => this.views.view<V>(actorOf(ctx), request));
    }

    /** Newest first, with the filters every request list takes. */
    @read
    @Get()
    @ReadsFromReplica()
    @ApiPageResponse(view)
    list(@Ctx() ctx: RequestContext, @Query() query: RequestListQueryDto): Promise<Page<V>> {
      return this.views.consultList<V>(ctx, kind, query);
    }

    @read
    @Get(':id')
    @answersView
    get(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<V> {
      return this.views.consult<V>(ctx, kind, id);
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

    /** Origin: draft, submitted or sent → withdrawn; accepted → withdrawn once its framework has ended. */
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

    /** Target liaison: sent → rejected, with a reason; accepted → rejected once its framework has ended. */
    @RequirePermission('requests.act')
    @Post(':id/reject')
    @HttpCode(200)
    @answersView
    reject(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: ReasonedStepDto): Promise<V> {
      const { reason, ...step } = body;
      // The reason is the origin's to read: weighed by the release rule with the step's comment.
      return this.step(ctx, id, 'reject', step, { rejectionReason: reason }, undefined, [['reason', reason]]);
    }

    /** Target: accepted → fulfilled, once the kind's guards agree (its open parts are all done). */
    @RequirePermission('requests.act')
    @Post(':id/fulfil')
    @HttpCode(200)
    @answersView
    fulfil(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: WorkflowStepDto): Promise<V> {
      return this.step(ctx, id, 'fulfil', body);
    }

    /** Origin: fulfilled → closed. */
    @RequirePermission('requests.act')
    @Post(':id/close')
    @HttpCode(200)
    @answersView
    close(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: WorkflowStepDto): Promise<V> {
      return this.step(ctx, id, 'close', body);
    }

    /** Target liaison hands the request to one of their active officers (kinds whose table has `assign`). */
    assign(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: AssignDto): Promise<V> {
      return this.workflow
        .assignOfficer(ctx, kind, id, body)
        .then((request) => this.views.view<V>(actorOf(ctx), request));
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
  // `create` is a route only for kinds that say how they draft; its body is the kind's DTO (read by the
  // validation pipe and the OpenAPI document from the parameter types).
  if (options.create) {
    const proto = SharedRequestRoutes.prototype;
    const handler = Object.getOwnPropertyDescriptor(proto, 'create')!;
    Reflect.defineMetadata('design:paramtypes', [Object, options.create.dto], proto, 'create');
    for (const decorate of [
      RequirePermission('requests.create'),
      Idempotent(),
      Post(),
      ApiOperation({ summary: options.create.summary }),
      ApiCreatedResponse({ type: view }),
    ])
      decorate(proto, 'create', handler);
  }
  // Every kind edits its drafts; the body is the kind's edit DTO, read by the validation pipe and the
  // OpenAPI document from the parameter types, as `create`'s.
  {
    const proto = SharedRequestRoutes.prototype;
    const handler = Object.getOwnPropertyDescriptor(proto, 'edit')!;
    const edit = options.edit ?? {};
    Reflect.defineMetadata(
      'design:paramtypes',
      [Object, String, edit.dto ?? EditRequestDraftDto],
      proto,
      'edit',
    );
    for (const decorate of [
      RequirePermission(definition.editPermission ?? DRAFT_EDIT_PERMISSION),
      Patch(':id'),
      ...(edit.reducesVisibility ? [ReducesVisibility()] : []),
      HttpCode(200),
      ApiOperation({
        summary:
          'An origin officer edits a draft (a returned one too); a request past draft answers 409, a stale version 409.',
      }),
      answersView,
    ])
      decorate(proto, 'edit', handler);
  }
  // `assign` is a route only for kinds whose table has the step.
  if (definition.transitions.assign) {
    const proto = SharedRequestRoutes.prototype;
    const handler = Object.getOwnPropertyDescriptor(proto, 'assign')!;
    for (const decorate of [
      RequirePermission('requests.act'),
      Post(':id/assign'),
      // The officer it was assigned to before loses sight of a RED request.
      ReducesVisibility(),
      HttpCode(200),
      answersView,
    ])
      decorate(proto, 'assign', handler);
  }
  // A kind's steps after which a country reads less (`RequestKindDefinition.reducesVisibility`).
  for (const action of definition.reducesVisibility ?? []) {
    const proto = SharedRequestRoutes.prototype;
    const method = action === 'return' ? 'returnToDraft' : action;
    ReducesVisibility()(proto, method, Object.getOwnPropertyDescriptor(proto, method)!);
  }
  return SharedRequestRoutes;
}
