import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../common/permissions/require-permission.decorator';
import { UuidParam } from '../common/http/uuid-param';
import { Ctx, RequestContext } from '../common/request-context';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { ApiPageResponse } from '../common/pagination/api-page-response.decorator';
import type { Page } from '../common/pagination/page';
import { PageQueryDto } from '../common/pagination/page-query.dto';
import {
  AlertView,
  CandidateDecisionDto,
  ListScreeningsQueryDto,
  RunScreeningDto,
  ScreeningSummaryView,
  ScreeningView,
} from './dto/screening.dto';
import { ScreeningService } from './screening.service';

@ApiTags('screening')
@ApiBearerAuth()
@Controller('screenings')
export class ScreeningController {
  constructor(private readonly screenings: ScreeningService) {}

  /** Screens a traveller against the entries active in the caller's country; ranked candidates with reasons. */
  @RequirePermission('screening.run')
  @Idempotent()
  @Post()
  run(@Ctx() ctx: RequestContext, @Body() body: RunScreeningDto): Promise<ScreeningView> {
    return this.screenings.run(ctx, body);
  }

  /**
   * The caller's country's screenings, newest first, paged by `cursor`; `undecided=true` finds those
   * with candidates (alert or review band) nobody has confirmed or cleared yet. For screeners, officers,
   * liaisons and the country's auditors.
   */
  @RequirePermission('screening.read')
  @ApiPageResponse(ScreeningSummaryView)
  @Get()
  list(
    @Ctx() ctx: RequestContext,
    @Query() query: ListScreeningsQueryDto,
  ): Promise<Page<ScreeningSummaryView>> {
    return this.screenings.list(ctx, query);
  }

  /**
   * Confirmed hits and re-screening matches, for the banning and the proposing country's liaisons;
   * newest first, paged by `cursor`.
   */
  @RequirePermission('screening.alerts')
  @ApiPageResponse(AlertView)
  @Get('alerts')
  alerts(@Ctx() ctx: RequestContext, @Query() query: PageQueryDto): Promise<Page<AlertView>> {
    return this.screenings.alerts(ctx, query);
  }

  /** One screening of the caller's country, with its candidates; its auditors read it too (read-only). */
  @RequirePermission('screening.read')
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<ScreeningView> {
    return this.screenings.read(ctx, id);
  }

  /** `confirmed` (a true hit: alerts both countries) or `cleared` (not the same person; reason required). */
  @RequirePermission('screening.run')
  @Post(':id/candidates/:candidateId/decision')
  @HttpCode(200)
  decide(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @UuidParam('candidateId') candidateId: string,
    @Body() body: CandidateDecisionDto,
  ): Promise<ScreeningView> {
    return this.screenings.decide(ctx, id, candidateId, body);
  }
}
