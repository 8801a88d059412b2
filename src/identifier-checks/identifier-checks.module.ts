import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { InformationRequestsModule } from '../information-requests/information-requests.module';
import { SharingModule } from '../sharing/sharing.module';
import { AutoAnswerSettingsService } from './auto-answer-settings.service';
import { IdentifierCheckFollowUpService } from './identifier-check-follow-up.service';
import { IdentifierChecksController } from './identifier-checks.controller';
import { IdentifierChecksService } from './identifier-checks.service';

/** Hit/no-hit checks against partners' own holdings, their follow-ups and the automatic-answer settings. */
@Module({
  imports: [AccessModule, InformationRequestsModule, SharingModule],
  controllers: [IdentifierChecksController],
  providers: [IdentifierChecksService, IdentifierCheckFollowUpService, AutoAnswerSettingsService],
})
export class IdentifierChecksModule {}
