import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CrossBorderRequest } from './cross-border-request.entity';
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
    RequestThreadService,
    RequestViewsService,
  ],
  exports: [
    RequestKindRegistry,
    WorkflowService,
    RequestDraftsService,
    RequestThreadService,
    RequestViewsService,
  ],
})
export class WorkflowModule {}
