import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { TooManyRequestsError } from '../common/errors/domain-errors';
import { AppConfig } from '../config/app-config.service';
import { LoginThrottleStorage } from './throttler/login-throttle.storage';

/** The bucket's name in the counters' storage (as the per-address one is `login-address`). */
const THROTTLER = 'login-username';
const WINDOW_MS = 60_000;
const BLOCK_MS = 60_000;

/**
 * Per-username sign-in limit that counts FAILED attempts only: LOGIN_RATE_LIMIT_PER_USERNAME wrong
 * passwords within a minute (an unknown username counts as one, so the bucket does not tell whether an
 * account exists), then every attempt on that username is refused with 429 for the next minute, whatever
 * its password. Each attempt is counted before its password is checked, in one atomic step of the shared
 * LoginThrottleStorage (so guesses sent at once each count, across instances), and given back when the
 * password was right: the owner's own sign-ins leave nothing an outsider can read (where 429 starts).
 * Attempts from an address the account signed in from lately (`ownAddress`) count in a bucket of that
 * address and username instead, so a stranger filling the username's bucket does not block its owner.
 */
@Injectable()
export class FailedSignInThrottle {
  private readonly limit: number;

  constructor(
    private readonly storage: LoginThrottleStorage,
    config: AppConfig,
  ) {
    this.limit = config.get('LOGIN_RATE_LIMIT_PER_USERNAME');
  }

  /** Counts the attempt; 429 (with Retry-After) once the username's failures reached the limit. */
  async attempt(username: string, ownAddress: string | null = null): Promise<void> {
    const counted = await this.storage.increment(
      keyOf(username, ownAddress),
      WINDOW_MS,
      this.limit,
      BLOCK_MS,
      THROTTLER,
    );
    if (counted.isBlocked) throw new TooManyRequestsError(Math.max(1, Math.ceil(counted.timeToBlockExpire)));
  }

  /** The attempt's password was right: it is not a failure. */
  rightPassword(username: string, ownAddress: string | null = null): Promise<void> {
    return this.storage.refund(keyOf(username, ownAddress), THROTTLER);
  }
}

/** Hashed, as the throttler guard's keys are: no username in clear in `login_throttle` or Redis. */
function keyOf(username: string, ownAddress: string | null): string {
  const bucket = ownAddress === null ? `user:${username}` : `user:${username}:from:${ownAddress}`;
  return createHash('sha256').update(`${THROTTLER}:${bucket}`).digest('hex');
}
