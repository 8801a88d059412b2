import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CrossBorderRequest } from './cross-border-request.entity';
import { RequestDraftEditsService } from './request-draft-edits.service';
import { RequestDraftsService } from './request-drafts.service';
import { RequestKindRegistry } from './request-kind-registry';
import { RequestThreadService } from './request-thread.service';
import { RequestViewsService } from './request-views.service';
import { WorkflowService } from './workflow.service';
import { AccessModule } from '../access/access.module';
import { ReferenceDataModule } from '../reference-data/reference-data.module';
import { SharingModule } from '../sharing/sharing.module';

/** The request engine every request kind builds on; each kind registers its definition here. */
@Module({
  imports: [AccessModule, ReferenceDataModule, SharingModule, TypeOrmModule.forFeature([CrossBorderRequest])],
  providers: [
    RequestKindRegistry,
    WorkflowService,
    RequestDraftsService,
    RequestDraftEditsService,
    RequestThreadService,
    RequestViewsService,
  ],
  exports: [
    RequestKindRegistry,
    WorkflowService,
    RequestDraftsService,
    RequestDraftEditsService,
    RequestThreadService,
    RequestViewsService,
  ],
})
export class WorkflowModule {}
