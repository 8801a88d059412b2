import { Injectable, OnModuleInit } from '@nestjs/common';
import { PersonsService } from '../persons/persons.service';
import { ReleaseService } from './release.service';

/**
 * Editing a person is a release too: the change reaches every country the person went to. Persons
 * tell their listeners inside the change's transaction, so a refusal rolls the edit back.
 */
@Injectable()
export class SharedPersonChanges implements OnModuleInit {
  constructor(
    private readonly persons: PersonsService,
    private readonly release: ReleaseService,
  ) {}

  onModuleInit(): void {
    this.persons.onChange((ctx, personId) => this.release.personChanged(ctx, personId));
  }
}
