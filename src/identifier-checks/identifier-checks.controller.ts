import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../common/permissions/require-permission.decorator';
import { UuidParam } from '../common/http/uuid-param';
import { ApiPageResponse } from '../common/pagination/api-page-response.decorator';
import type { Page } from '../common/pagination/page';
import { Ctx, RequestContext } from '../common/request-context';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { InformationRequestView } from '../information-requests/dto/information-request.dto';
import { AutoAnswerSettingsService } from './auto-answer-settings.service';
import {
  AutoAnswerSettingDto,
  AutoAnswerSettingView,
  FollowUpDto,
  IdentifierCheckSummaryView,
  IdentifierCheckView,
  ListIdentifierChecksQueryDto,
  RunIdentifierCheckDto,
} from './dto/identifier-check.dto';
import { IdentifierCheckFollowUpService } from './identifier-check-follow-up.service';
import { IdentifierChecksService } from './identifier-checks.service';

@ApiTags('identifier-checks')
@ApiBearerAuth()
@Controller('identifier-checks')
export class IdentifierChecksController {
  constructor(
    private readonly checks: IdentifierChecksService,
    private readonly followUps: IdentifierCheckFollowUpService,
    private readonly settings: AutoAnswerSettingsService,
  ) {}

  /** Asks partners whether they hold up to 1,000 identifiers: each answers hit or no hit per identifier. */
  @RequirePermission('identifier-checks.run')
  @Idempotent()
  @Post()
  run(@Ctx() ctx: RequestContext, @Body() body: RunIdentifierCheckDto): Promise<IdentifierCheckView> {
    return this.checks.run(ctx, body);
  }

  /** The caller's country's checks, newest first (without their identifiers). */
  @RequirePermission('identifier-checks.read')
  @Get()
  @ApiPageResponse(IdentifierCheckSummaryView)
  list(
    @Ctx() ctx: RequestContext,
    @Query() query: ListIdentifierChecksQueryDto,
  ): Promise<Page<IdentifierCheckSummaryView>> {
    return this.checks.list(ctx, query);
  }

  /** Whether the caller's country answers partners' checks automatically, per framework in force. */
  @RequirePermission('identifier-checks.settings')
  @Get('settings')
  listSettings(@Ctx() ctx: RequestContext): Promise<AutoAnswerSettingView[]> {
    return this.settings.list(ctx);
  }

  @RequirePermission('identifier-checks.settings')
  @Put('settings/:frameworkId')
  setSetting(
    @Ctx() ctx: RequestContext,
    @UuidParam('frameworkId') frameworkId: string,
    @Body() body: AutoAnswerSettingDto,
  ): Promise<AutoAnswerSettingView> {
    return this.settings.set(ctx, frameworkId, body);
  }

  @RequirePermission('identifier-checks.read')
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<IdentifierCheckView> {
    return this.checks.get(ctx, id);
  }

  /** Drafts an information request to a partner that hit, prefilled with the identifier. */
  @RequirePermission('requests.create')
  @Idempotent()
  @Post(':id/follow-ups')
  @HttpCode(201)
  followUp(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: FollowUpDto,
  ): Promise<InformationRequestView> {
    return this.followUps.followUp(ctx, id, body);
  }
}
