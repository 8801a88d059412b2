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
 * account exists) and every attempt on that username is refused with 429 for the next minute, whatever
 * its password, before the password is checked. The account's own successful sign-ins leave the bucket
 * untouched, so nothing an outsider can read (where 429 starts) follows the owner's activity. The
 * counters are the shared LoginThrottleStorage, so the limit holds across instances.
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

  /** 429 (with Retry-After) while the username is blocked; `username` arrives normalised. */
  async refuseWhileBlocked(username: string): Promise<void> {
    const seconds = await this.storage.blockedForSeconds(keyOf(username), THROTTLER);
    if (seconds > 0) throw new TooManyRequestsError(seconds);
  }

  /**
   * Counts one failed attempt. The storage blocks a key once its count passes the limit it is given;
   * a failure is counted after its attempt, so passing `limit - 1` blocks from the limit-th failure on:
   * N failures are answered as failures, and the attempts after them get 429.
   */
  async countFailure(username: string): Promise<void> {
    await this.storage.increment(keyOf(username), WINDOW_MS, this.limit - 1, BLOCK_MS, THROTTLER);
  }
}

/** Hashed, as the throttler guard's keys are: no username in clear in `login_throttle` or Redis. */
function keyOf(username: string): string {
  return createHash('sha256').update(`${THROTTLER}:user:${username}`).digest('hex');
}
