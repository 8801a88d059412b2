import { Module } from '@nestjs/common';
import { PersonsModule } from '../persons/persons.module';
import { InformationRequestsController } from './information-requests.controller';
import { InformationRequestsService } from './information-requests.service';
import { SharingModule } from '../sharing/sharing.module';
import { WorkflowModule } from '../workflow/workflow.module';

@Module({
  imports: [SharingModule, WorkflowModule, PersonsModule],
  controllers: [InformationRequestsController],
  providers: [InformationRequestsService],
  exports: [InformationRequestsService],
})
export class InformationRequestsModule {}
