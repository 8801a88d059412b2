import { Injectable } from '@nestjs/common';
import { Raw } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { UnauthenticatedError } from '../common/errors/domain-errors';
import type { RequestContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { TransactionService } from '../database/transaction.service';
import { User } from '../users/user.entity';
import { AUTH_LIMITS } from './auth-settings';
import { passwordHasher, spendVerificationTime } from './password-hasher';

/** One answer for every failed sign-in, so nobody learns which usernames exist or are locked. */
const INVALID_CREDENTIALS = 'Invalid username or password.';

/**
 * Checks a username and password, counting failures: five within 15 minutes lock the account for
 * 30 minutes (or until the country's admin unlocks it). Unknown users cost the same hashing time.
 */
@Injectable()
export class CredentialsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async verify(ctx: RequestContext, username: string, password: string): Promise<User> {
    const user = await this.tx.manager
      .getRepository(User)
      .findOneBy({ username: Raw((column) => `lower(${column}) = lower(:username)`, { username }) });
    if (!user) {
      await spendVerificationTime(password);
      await this.audit.recordIndependently(ctx, {
        action: 'auth.login.failed',
        outcome: 'failed',
        details: { username: username.slice(0, 64), reason: 'unknown-user' },
      });
      throw new UnauthenticatedError(INVALID_CREDENTIALS);
    }
    const now = this.clock.now();
    const passwordMatches = await passwordHasher.verify(user.passwordHash, password);
    const locked = user.lockedUntil !== null && user.lockedUntil > now;
    if (passwordMatches && !locked && user.status === 'active') return user;

    const reason = locked ? 'locked' : user.status !== 'active' ? 'disabled' : 'wrong-password';
    await this.tx.run(async () => {
      if (reason === 'wrong-password') await this.countFailure(ctx, user, now);
      await this.audit.record(ctx, {
        action: 'auth.login.failed',
        outcome: 'failed',
        recordType: 'user',
        recordId: user.id,
        ownerCountry: user.countryCode,
        details: { username: user.username, reason },
      });
    });
    throw new UnauthenticatedError(INVALID_CREDENTIALS);
  }

  private async countFailure(ctx: RequestContext, user: User, now: Date): Promise<void> {
    const windowOpen =
      user.failedLoginsSince !== null &&
      now.getTime() - user.failedLoginsSince.getTime() < AUTH_LIMITS.lockoutWindowMs;
    const failedLogins = windowOpen ? user.failedLogins + 1 : 1;
    const lockedUntil =
      failedLogins >= AUTH_LIMITS.lockoutThreshold
        ? new Date(now.getTime() + AUTH_LIMITS.lockoutDurationMs)
        : null;
    // Sign-in bookkeeping is not an edit of the account: its version stays.
    await this.tx.manager.query(
      `UPDATE app_user SET failed_logins = $2, failed_logins_since = $3, locked_until = coalesce($4, locked_until) WHERE id = $1`,
      [user.id, failedLogins, windowOpen ? user.failedLoginsSince : now, lockedUntil],
    );
    if (lockedUntil) {
      await this.audit.record(ctx, {
        action: 'auth.lockout',
        recordType: 'user',
        recordId: user.id,
        ownerCountry: user.countryCode,
        after: { lockedUntil: lockedUntil.toISOString() },
      });
    }
  }
}
