import { Module } from '@nestjs/common';
import { ArrestsModule } from '../arrests/arrests.module';
import { BlacklistModule } from '../blacklist/blacklist.module';
import { CasesModule } from '../cases/cases.module';
import { PersonsModule } from '../persons/persons.module';
import { AttachmentParents } from './attachment-parents.service';
import { AttachmentUploadService } from './attachment-upload.service';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';
import { CaseBundleService } from './case-bundle.service';
import { FileReadingSlots } from './file-reading-slots';
import { OwnNumbersCatchUpService } from './own-numbers-catch-up.service';
import { RecordAttachmentsController } from './record-attachments.controller';
import { attachmentStorageProvider } from './storage/attachment-storage.provider';
import { AccessModule } from '../access/access.module';
import { SharingModule } from '../sharing/sharing.module';
import { WorkflowModule } from '../workflow/workflow.module';
import { JobsModule } from '../jobs/jobs.module';

/** Evidence files on records, content-addressed, with their chain of custody in the audit trail. */
@Module({
  imports: [
    AccessModule,
    JobsModule,
    SharingModule,
    WorkflowModule,
    CasesModule,
    PersonsModule,
    ArrestsModule,
    BlacklistModule,
  ],
  controllers: [RecordAttachmentsController, AttachmentsController],
  providers: [
    attachmentStorageProvider,
    AttachmentParents,
    AttachmentsService,
    AttachmentUploadService,
    CaseBundleService,
    FileReadingSlots,
    OwnNumbersCatchUpService,
  ],
  exports: [AttachmentsService],
})
export class AttachmentsModule {}
