import { Module } from '@nestjs/common';
import { RequestFiguresService } from './request-figures.service';
import { StatsRollupCompaction } from './stats-rollup-compaction.service';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';

@Module({
  controllers: [StatsController],
  providers: [StatsService, RequestFiguresService, StatsRollupCompaction],
})
export class StatsModule {}
