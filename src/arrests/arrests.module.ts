import { Module } from '@nestjs/common';
import { PersonsModule } from '../persons/persons.module';
import { ArrestImportService } from './arrest-import.service';
import { ArrestRecorder } from './arrest-recorder.service';
import { ArrestsController } from './arrests.controller';
import { ArrestsService } from './arrests.service';
import { AccessModule } from '../access/access.module';
import { SharingModule } from '../sharing/sharing.module';

@Module({
  imports: [AccessModule, SharingModule, PersonsModule],
  controllers: [ArrestsController],
  providers: [ArrestsService, ArrestRecorder, ArrestImportService],
  exports: [ArrestsService],
})
export class ArrestsModule {}
