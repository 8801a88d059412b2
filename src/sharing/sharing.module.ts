import { Module } from '@nestjs/common';
import { PersonsModule } from '../persons/persons.module';
import { ReleaseService } from './release.service';
import { SharedPersonChanges } from './shared-person-changes';

/** The release rule, global like access: every module that lets data cross a border uses it. */
@Module({
  imports: [PersonsModule],
  providers: [ReleaseService, SharedPersonChanges],
  exports: [ReleaseService],
})
export class SharingModule {}
