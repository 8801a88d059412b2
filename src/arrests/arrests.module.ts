import { Module } from '@nestjs/common';
import { PersonsModule } from '../persons/persons.module';
import { ArrestCorrectionService } from './arrest-correction.service';
import { ArrestImportService } from './arrest-import.service';
import { ArrestRecorder } from './arrest-recorder.service';
import { ArrestsController } from './arrests.controller';
import { ArrestsService } from './arrests.service';
import { AccessModule } from '../access/access.module';
import { SharingModule } from '../sharing/sharing.module';

@Module({
  imports: [AccessModule, SharingModule, PersonsModule],
  controllers: [ArrestsController],
  providers: [ArrestsService, ArrestRecorder, ArrestImportService, ArrestCorrectionService],
  exports: [ArrestsService],
})
export class ArrestsModule {}
