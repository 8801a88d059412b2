import { UnprocessableError } from '../common/errors/domain-errors';

/**
 * A partner that shares no framework in force with the caller's country (422). Says only what the
 * caller can read in `/frameworks` anyway: nothing about what the partner holds.
 */
export class NotACoMemberError extends UnprocessableError {
  override readonly code = 'not-a-co-member';
  override readonly title = 'Not a partner in a framework in force';
  constructor(fields: Array<{ field: string; country: string }>) {
    super('Every partner must be a current co-member of a framework in force with your country.');
    this.extensions.errors = fields.map((f) => ({
      field: f.field,
      message: `${f.country} is not a current co-member of a framework in force with your country`,
    }));
  }
}

/** A follow-up of something that was not a hit (422). */
export class NoHitToFollowUpError extends UnprocessableError {
  override readonly code = 'no-hit';
  override readonly title = 'No hit to follow up';
  constructor() {
    super('That partner did not answer a hit for that position of the check.');
  }
}
