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
import {
  AssignDto,
  CreateInformationRequestDto,
  FulfilDto,
  InformationRequestView,
  ListInformationRequestsQueryDto,
} from './dto/information-request.dto';
import { InformationRequestsService } from './information-requests.service';

const KIND = 'information' as const;

@ApiTags('information requests')
@ApiBearerAuth()
@Controller('information-requests')
export class InformationRequestsController {
  constructor(
    private readonly requests: InformationRequestsService,
    private readonly thread: RequestThreadService,
  ) {}

  @RequirePermission('requests.read')
  @Get()
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

  /** Origin officer: draft → submitted. */
  @RequirePermission('requests.act')
  @Post(':id/submit')
  @HttpCode(200)
  submit(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: WorkflowStepDto,
  ): Promise<InformationRequestView> {
    return this.requests.step(ctx, id, 'submit', body);
  }

  /** Origin liaison (not the submitter): submitted → sent; the target sees it from now on. */
  @RequirePermission('requests.act')
  @Post(':id/approve')
  @HttpCode(200)
  approve(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: WorkflowStepDto,
  ): Promise<InformationRequestView> {
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
  ): Promise<InformationRequestView> {
    return this.requests.step(ctx, id, 'return', body);
  }

  @RequirePermission('requests.act')
  @Post(':id/withdraw')
  @HttpCode(200)
  withdraw(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: WorkflowStepDto,
  ): Promise<InformationRequestView> {
    return this.requests.step(ctx, id, 'withdraw', body);
  }

  /** Target liaison: sent → accepted. */
  @RequirePermission('requests.act')
  @Post(':id/accept')
  @HttpCode(200)
  accept(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: WorkflowStepDto,
  ): Promise<InformationRequestView> {
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
  ): Promise<InformationRequestView> {
    return this.requests.reject(ctx, id, body);
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

  /** Origin: fulfilled → closed. */
  @RequirePermission('requests.act')
  @Post(':id/close')
  @HttpCode(200)
  close(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: WorkflowStepDto,
  ): Promise<InformationRequestView> {
    return this.requests.step(ctx, id, 'close', body);
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
