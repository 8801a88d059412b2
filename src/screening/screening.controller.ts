import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../common/permissions/require-permission.decorator';
import { UuidParam } from '../common/http/uuid-param';
import { Ctx, RequestContext } from '../common/request-context';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { ApiPageResponse } from '../common/pagination/api-page-response.decorator';
import type { Page } from '../common/pagination/page';
import { PageQueryDto } from '../common/pagination/page-query.dto';
import { AlertView, CandidateDecisionDto, RunScreeningDto, ScreeningView } from './dto/screening.dto';
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
   * Confirmed hits and re-screening matches, for the banning and the proposing country's liaisons;
   * newest first, paged by `cursor`.
   */
  @RequirePermission('screening.alerts')
  @ApiPageResponse(AlertView)
  @Get('alerts')
  alerts(@Ctx() ctx: RequestContext, @Query() query: PageQueryDto): Promise<Page<AlertView>> {
    return this.screenings.alerts(ctx, query);
  }

  @RequirePermission('screening.run')
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<ScreeningView> {
    return this.screenings.view(ctx, id);
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
