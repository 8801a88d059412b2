import { Injectable } from '@nestjs/common';
import { Raw } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import {
  TooManyRequestsError,
  UnauthenticatedError,
  ValidationFailedError,
} from '../common/errors/domain-errors';
import type { RequestContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { TransactionService } from '../database/transaction.service';
import { User } from '../users/user.entity';
import { usernamePrefixCountry } from '../users/username';
import { passwordHasher, spendVerificationTime } from '../users/password-hasher';
import { FamiliarAddress, SignInAddressesStore } from '../users/sign-in-addresses.store';
import { countWrongPassword } from '../users/wrong-password-count';
import { FailedSignInThrottle } from './failed-sign-in-throttle.service';
import { MfaCodesService } from './mfa/mfa-codes.service';
import { MfaRequiredError } from './mfa/mfa-errors';

/** One answer for every failed sign-in, so nobody learns which usernames exist or are locked. */
const INVALID_CREDENTIALS = 'Invalid username or password.';

/**
 * Checks a username and password, counting failures: five within 15 minutes lock the account for
 * 30 minutes (or until the country's admin unlocks it). Unknown users cost the same hashing time.
 * Every attempt is counted in the username's sign-in bucket before its password is checked, and given
 * back when the password was right (FailedSignInThrottle): a blocked username is refused (429) first.
 *
 * Lockout as a weapon: anyone who knows a username could send five wrong passwords every half hour and
 * keep its owner out for good. So an address the account signed in from lately (SignInAddressesStore)
 * is weighed on its own: its wrong passwords lock the account and that address, but a lockout (or a full
 * per-username bucket) caused from elsewhere does not refuse the right password from it.
 *
 * Second factor: an account with one asks for its code only once everything else is right (the password,
 * not locked, active). Without a code the answer is 401 `mfa-required`, which says the password was
 * right: no more than a successful sign-in of a password-only account says, and wrong passwords keep
 * costing a failure each. A wrong, reused or malformed code is a failure exactly as a wrong password is
 * (the username's bucket, the lockout, the audit) and gets the very same answer as a wrong password, so
 * a code guess never tells anything about the password beyond the bare `mfa-required`.
 */
@Injectable()
export class CredentialsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly throttle: FailedSignInThrottle,
    private readonly addresses: SignInAddressesStore,
    private readonly mfa: MfaCodesService,
  ) {}

  /** `username` arrives normalised and checked against its pattern (LoginThrottlerGuard). */
  async verify(ctx: RequestContext, username: string, password: string, code?: string): Promise<User> {
    const user = await this.tx.manager
      .getRepository(User)
      .findOneBy({ username: Raw((column) => `lower(${column}) = :username`, { username }) });
    const now = this.clock.now();
    const ownAddress = user ? await this.addresses.familiar(user.id, ctx.sourceIp, now) : null;
    await this.throttle.attempt(username, ownAddress?.address);
    if (!user) {
      await spendVerificationTime(password);
      // Owned by the country whose namespace the name is in (when that country exists), so its auditors
      // see attempts on names like theirs; an owner-less event no auditor would ever read.
      await this.audit.recordIndependently(
        ctx,
        {
          action: 'auth.login.failed',
          outcome: 'failed',
          details: { username: username.slice(0, 64), reason: 'unknown-user' },
        },
        async (manager, event) => {
          const code = usernamePrefixCountry(username);
          if (!code) return event;
          const rows: Array<{ code: string }> = await manager.query(
            `SELECT code FROM country WHERE code = $1`,
            [code],
          );
          return { ...event, ownerCountry: rows[0]?.code ?? null };
        },
      );
      throw new UnauthenticatedError(INVALID_CREDENTIALS);
    }
    const passwordMatches = await passwordHasher.verify(user.passwordHash, password);
    const locked = this.lockedForSeconds(user, now, ownAddress) > 0;
    // A password an admin reset is not the user's until a second admin confirms the reset (four eyes).
    const resetUnconfirmed = Boolean(user.passwordResetBy);
    // Only a wrong password counts: a right one, refused or not (locked, disabled, reset unconfirmed), is
    // the owner's attempt, and the bucket must not follow the owner's activity.
    const admitted = passwordMatches && !locked && user.status === 'active' && !resetUnconfirmed;
    if (admitted && user.mfaEnabledAt) {
      if (code === undefined) {
        await this.throttle.rightPassword(username, ownAddress?.address);
        throw new MfaRequiredError();
      }
      if (await this.mfa.use(ctx, user, code, now)) {
        await this.throttle.rightPassword(username, ownAddress?.address);
        return user;
      }
      // Not given back to the username's bucket, counted toward the lockout: a guess like a wrong password.
      await this.recordWrongPassword(ctx, user, now, 'auth.login.failed', ownAddress, 'wrong-code');
      throw new UnauthenticatedError(INVALID_CREDENTIALS);
    }
    if (passwordMatches) await this.throttle.rightPassword(username, ownAddress?.address);
    if (admitted) return user;

    const reason = locked
      ? 'locked'
      : user.status !== 'active'
        ? 'disabled'
        : !passwordMatches
          ? 'wrong-password'
          : 'password-reset-unconfirmed';
    if (reason === 'wrong-password') {
      await this.recordWrongPassword(ctx, user, now, 'auth.login.failed', ownAddress);
    } else {
      await this.tx.run(() =>
        this.audit.record(ctx, {
          action: 'auth.login.failed',
          outcome: 'failed',
          recordType: 'user',
          recordId: user.id,
          ownerCountry: user.countryCode,
          details: { username: user.username, reason },
        }),
      );
    }
    throw new UnauthenticatedError(INVALID_CREDENTIALS);
  }

  /**
   * Seconds until the sign-in lockout that applies ends, or 0 when none does: the lockout of the
   * caller's address when the account signed in from it lately (`ownAddress`), else the account's.
   */
  lockedForSeconds(user: User, now: Date, ownAddress: FamiliarAddress | null): number {
    const lockedUntil = ownAddress ? ownAddress.lockedUntil : user.lockedUntil;
    if (lockedUntil === null || lockedUntil <= now) return 0;
    return Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
  }

  /**
   * The signed-in caller's current password, asked again before a change of how the account signs in (a
   * new password, a second factor turned on): the account as loaded, its own address and the time. A
   * wrong one counts toward the sign-in lockout and is audited as `action` (a stolen access token must
   * not become an unlimited password oracle); while the account is locked nothing is tried (429).
   */
  async requireCurrentPassword(
    ctx: RequestContext,
    userId: string,
    password: string,
    action: 'auth.password.change.failed' | 'auth.mfa.enable.failed',
  ): Promise<{ user: User; ownAddress: FamiliarAddress | null; now: Date }> {
    const user = await this.tx.manager.getRepository(User).findOneByOrFail({ id: userId });
    const now = this.clock.now();
    const ownAddress = await this.ownAddressOf(ctx, user, now);
    const lockedFor = this.lockedForSeconds(user, now, ownAddress);
    if (lockedFor > 0) throw new TooManyRequestsError(lockedFor);
    if (!(await passwordHasher.verify(user.passwordHash, password))) {
      await this.recordWrongPassword(ctx, user, now, action, ownAddress);
      throw new ValidationFailedError([
        { field: 'currentPassword', message: 'currentPassword is not correct' },
      ]);
    }
    return { user, ownAddress, now };
  }

  /** The caller's address when `user` signed in from it lately (its lockout is its own), else null. */
  ownAddressOf(ctx: RequestContext, user: User, now: Date): Promise<FamiliarAddress | null> {
    return this.addresses.familiar(user.id, ctx.sourceIp, now);
  }

  /**
   * Counts one wrong password (at sign-in, or as the current password of a password change) or one wrong
   * second-factor code (at sign-in, or to turn the second factor off) toward the
   * lockout and audits it, in a transaction of its own so it survives the refused request. The count
   * is one atomic statement: concurrent wrong guesses each count (no read-modify-write). From one of the
   * account's own addresses it counts toward that address's lockout too.
   */
  async recordWrongPassword(
    ctx: RequestContext,
    user: User,
    now: Date,
    action:
      | 'auth.login.failed'
      | 'auth.password.change.failed'
      | 'auth.mfa.disable.failed'
      | 'auth.mfa.enable.failed',
    ownAddress: FamiliarAddress | null,
    reason: 'wrong-password' | 'wrong-code' | 'wrong-enrolment-pass' = 'wrong-password',
  ): Promise<void> {
    await this.tx.run(async () => {
      const accountLockedUntil = await countWrongPassword(this.tx.manager, 'app_user', [user.id], now);
      await this.audit.record(ctx, {
        action,
        outcome: 'failed',
        recordType: 'user',
        recordId: user.id,
        ownerCountry: user.countryCode,
        details: { username: user.username, reason },
      });
      const addressLockedUntil = ownAddress
        ? await countWrongPassword(this.tx.manager, 'sign_in_address', [user.id, ownAddress.address], now)
        : null;
      const lockedUntil = accountLockedUntil ?? addressLockedUntil;
      if (lockedUntil) {
        await this.audit.record(ctx, {
          action: 'auth.lockout',
          recordType: 'user',
          recordId: user.id,
          ownerCountry: user.countryCode,
          after: { lockedUntil: lockedUntil.toISOString() },
          ...(addressLockedUntil && ownAddress ? { details: { address: ownAddress.address } } : {}),
        });
      }
    });
  }
}
