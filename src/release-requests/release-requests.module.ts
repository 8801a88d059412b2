import { Module } from '@nestjs/common';
import { PersonsModule } from '../persons/persons.module';
import { ReleaseRequestsController } from './release-requests.controller';
import { ReleaseRequestsService } from './release-requests.service';
import { SharingModule } from '../sharing/sharing.module';
import { WorkflowModule } from '../workflow/workflow.module';

@Module({
  imports: [SharingModule, WorkflowModule, PersonsModule],
  controllers: [ReleaseRequestsController],
  providers: [ReleaseRequestsService],
})
export class ReleaseRequestsModule {}
