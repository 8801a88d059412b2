import { Module } from '@nestjs/common';
import { CandidatePool } from './candidate-pool';
import { RescreeningService } from './rescreening.service';
import { ScreeningController } from './screening.controller';
import { ScreeningService } from './screening.service';
import { AccessModule } from '../access/access.module';
import { JobsModule } from '../jobs/jobs.module';

@Module({
  imports: [AccessModule, JobsModule],
  controllers: [ScreeningController],
  providers: [ScreeningService, CandidatePool, RescreeningService],
  exports: [RescreeningService],
})
export class ScreeningModule {}
