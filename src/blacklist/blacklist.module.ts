import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PersonsModule } from '../persons/persons.module';
import { ScreeningModule } from '../screening/screening.module';
import { BlacklistAmendmentsService } from './blacklist-amendments.service';
import { BlacklistDraftEditsService } from './blacklist-draft-edits.service';
import { BlacklistEntryAmendment } from './blacklist-entry-amendment.entity';
import { BlacklistEntry } from './blacklist-entry.entity';
import { BlacklistExpiryNoticeService } from './blacklist-expiry-notice.service';
import { BlacklistExpiryService } from './blacklist-expiry.service';
import { BlacklistIndexService } from './blacklist-index.service';
import { BlacklistProposalsController } from './blacklist-proposals.controller';
import { BlacklistProposalsService } from './blacklist-proposals.service';
import { BlacklistController } from './blacklist.controller';
import { BlacklistService } from './blacklist.service';
import { ProposedEntriesService } from './proposed-entries.service';
import { AccessModule } from '../access/access.module';
import { JobsModule } from '../jobs/jobs.module';
import { SharingModule } from '../sharing/sharing.module';
import { WorkflowModule } from '../workflow/workflow.module';

@Module({
  imports: [
    AccessModule,
    JobsModule,
    SharingModule,
    WorkflowModule,
    TypeOrmModule.forFeature([BlacklistEntry, BlacklistEntryAmendment]),
    PersonsModule,
    ScreeningModule,
  ],
  controllers: [BlacklistController, BlacklistProposalsController],
  providers: [
    BlacklistService,
    BlacklistProposalsService,
    BlacklistIndexService,
    BlacklistExpiryService,
    BlacklistExpiryNoticeService,
    BlacklistAmendmentsService,
    BlacklistDraftEditsService,
    ProposedEntriesService,
  ],
  exports: [BlacklistService],
})
export class BlacklistModule {}
