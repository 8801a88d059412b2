import { Controller, Get, Query } from '@nestjs/common';
import { ReadsFromReplica } from '../database/replicas/read-route';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../common/permissions/require-permission.decorator';
import { Ctx, RequestContext } from '../common/request-context';
import { StatsQueryDto, StatsView } from './dto/stats.dto';
import { StatsService } from './stats.service';

@ApiTags('stats')
@ApiBearerAuth()
@Controller('stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  /** Figures for the caller's country and each counterpart over a period. */
  @RequirePermission('stats.read')
  @Get()
  @ReadsFromReplica()
  get(@Ctx() ctx: RequestContext, @Query() query: StatsQueryDto): Promise<StatsView> {
    return this.stats.stats(ctx, query);
  }
}
