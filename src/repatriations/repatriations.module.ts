import { Module } from '@nestjs/common';
import { ArrestsModule } from '../arrests/arrests.module';
import { RepatriationRequestsController } from './repatriation-requests.controller';
import { RepatriationHandoverService } from './repatriation-handover.service';
import { RepatriationRequestsService } from './repatriation-requests.service';
import { RepatriationViewService } from './repatriation-view.service';
import { RepatriationArrestListService } from './repatriation-arrest-list.service';
import { RepatriationDraftEditsService } from './repatriation-draft-edits.service';
import { NotificationsModule } from '../notifications/notifications.module';
import { SharingModule } from '../sharing/sharing.module';
import { WorkflowModule } from '../workflow/workflow.module';

@Module({
  imports: [NotificationsModule, SharingModule, WorkflowModule, ArrestsModule],
  controllers: [RepatriationRequestsController],
  providers: [
    RepatriationRequestsService,
    RepatriationHandoverService,
    RepatriationViewService,
    RepatriationArrestListService,
    RepatriationDraftEditsService,
  ],
})
export class RepatriationsModule {}
