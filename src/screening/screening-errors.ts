import { ConflictError } from '../common/errors/domain-errors';

/** A hit confirmed on an entry that was lifted or has expired since the screening found it. */
export class EntryNotInForceError extends ConflictError {
  override readonly code = 'entry-not-in-force';
  override readonly title = 'The blacklist entry is no longer in force';
  constructor(status: string) {
    super(
      status === 'active'
        ? 'The entry has expired since the screening: there is no ban to confirm a hit on. Clear the candidate instead.'
        : `The entry was ${status} since the screening: there is no ban to confirm a hit on. Clear the candidate instead.`,
    );
    this.extensions.entryStatus = status === 'active' ? 'expired' : status;
  }
}
