import { Module } from '@nestjs/common';
import { CandidatePool } from './candidate-pool';
import { RescreeningService } from './rescreening.service';
import { ScreeningController } from './screening.controller';
import { ScreeningService } from './screening.service';
import { JobsModule } from '../jobs/jobs.module';

@Module({
  imports: [JobsModule],
  controllers: [ScreeningController],
  providers: [ScreeningService, CandidatePool, RescreeningService],
  exports: [RescreeningService],
})
export class ScreeningModule {}
