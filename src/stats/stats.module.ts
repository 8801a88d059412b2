import { Module } from '@nestjs/common';
import { RequestFiguresService } from './request-figures.service';
import { StatsRollupCompaction } from './stats-rollup-compaction.service';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';
import { JobsModule } from '../jobs/jobs.module';

@Module({
  imports: [JobsModule],
  controllers: [StatsController],
  providers: [StatsService, RequestFiguresService, StatsRollupCompaction],
})
export class StatsModule {}
