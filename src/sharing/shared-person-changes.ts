import { Injectable, OnModuleInit } from '@nestjs/common';
import { PersonsService } from '../persons/persons.service';
import { ReleaseService } from './release.service';
import { PersonRecipientsService } from './person-recipients.service';

/**
 * Writing a person is a release too: a country's own persons are read by all its officers, and an edit
 * reaches every country the person went to. Persons tell their listeners inside the writing
 * transaction, so a refusal rolls the write back.
 */
@Injectable()
export class SharedPersonChanges implements OnModuleInit {
  constructor(
    private readonly persons: PersonsService,
    private readonly release: ReleaseService,
    private readonly personRecipients: PersonRecipientsService,
  ) {}

  onModuleInit(): void {
    this.persons.onBeforeChange(async (ctx, personId) => {
      await this.personRecipients.keepForEndedCooperation(ctx, personId);
    });
    this.persons.onWritten((ctx, personIds) => this.release.personsWritten(ctx, personIds));
    this.persons.onChange((ctx, personId) => this.release.personChanged(ctx, personId));
  }
}
