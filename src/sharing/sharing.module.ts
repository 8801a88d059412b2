import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { PersonsModule } from '../persons/persons.module';
import { CooperationService } from './cooperation.service';
import { FileReleaseService } from './file-release.service';
import { IdentifierReleaseService } from './identifier-release.service';
import { PersonRecipientsService } from './person-recipients.service';
import { ReleaseRefusalAudit } from './release-refusal-audit';
import { ReleaseService } from './release.service';
import { SharedPersonChanges } from './shared-person-changes';
import { TypedRedValuesModule } from './typed-red-values';
import { WeighingBudgetInterceptor } from './weighing-budget.interceptor';

/**
 * The release rule, global like access: every module that lets data cross a border uses it. Persons
 * (`ReleaseService`), the numbers and texts that leave with anything (`IdentifierReleaseService`), files
 * (`FileReleaseService`), and whether a framework joins two countries (`CooperationService`). Each
 * request may have only so many numbers weighed (`weighing-budget.ts`).
 */
@Module({
  imports: [PersonsModule, TypedRedValuesModule],
  providers: [
    ReleaseService,
    IdentifierReleaseService,
    FileReleaseService,
    PersonRecipientsService,
    CooperationService,
    ReleaseRefusalAudit,
    SharedPersonChanges,
    { provide: APP_INTERCEPTOR, useClass: WeighingBudgetInterceptor },
  ],
  exports: [ReleaseService, IdentifierReleaseService, FileReleaseService, CooperationService],
})
export class SharingModule {}
