import { ConflictError } from '../common/errors/domain-errors';

/**
 * An extension asked of a ban whose expiry has passed. An expired entry is never screened again and
 * leaves the screening index; bringing it back is a new decision on a new proposal, not an extension.
 */
export class BanExpiredError extends ConflictError {
  override readonly code = 'ban-expired';
  override readonly title = 'The ban has expired';
  constructor(expiresOn: string) {
    super(
      `The ban ended after ${expiresOn} and can no longer be extended. To ban the person again, the proposing country proposes them again.`,
    );
  }
}

/**
 * A draft's edit would take off entries that have files attached: the files hang on the entry's row
 * (the passport scan, the photo behind the proposal), which the edit would delete with them.
 */
export class BlacklistEntryHasFilesError extends ConflictError {
  override readonly code = 'blacklist-entry-has-files';
  override readonly title = 'Entry has files';
  constructor(entries: Array<{ id: string; position: number }>) {
    super(
      `The edit takes off ${entries.map((e) => `entries[${e.position}]`).join(', ')} of the draft, which ha${entries.length === 1 ? 's' : 've'} files attached; keep ${entries.length === 1 ? 'its person' : 'their persons'} in the list (an entry whose person stays keeps its files), or withdraw the draft and draft it again.`,
    );
    this.extensions.entryIds = entries.map((e) => e.id);
  }
}
