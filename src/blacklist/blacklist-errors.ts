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
