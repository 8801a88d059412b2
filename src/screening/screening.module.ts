import { Module } from '@nestjs/common';
import { CandidatePool } from './candidate-pool';
import { RescreeningService } from './rescreening.service';
import { ScreeningController } from './screening.controller';
import { ScreeningService } from './screening.service';

@Module({
  controllers: [ScreeningController],
  providers: [ScreeningService, CandidatePool, RescreeningService],
  exports: [RescreeningService],
})
export class ScreeningModule {}
