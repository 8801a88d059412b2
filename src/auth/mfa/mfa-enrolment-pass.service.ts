import { Injectable } from '@nestjs/common';
import { AccessService } from '../../access/access.service';
import { AuditService } from '../../audit/audit.service';
import { ConflictError, ValidationFailedError } from '../../common/errors/domain-errors';
import { actorOf, RequestContext } from '../../common/request-context';
import { Clock } from '../../common/time/clock';
import { TransactionService } from '../../database/transaction.service';
import type { FamiliarAddress } from '../../users/sign-in-addresses.store';
import { COMMAND_LINE_USER_ID } from '../../users/command-line-actor';
import { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { CredentialsService } from '../credentials.service';
import type { MfaEnrolmentPassView } from './dto/mfa.dto';
import { MfaStore } from './mfa.store';
import {
  hashRecoveryCode,
  newRecoveryCode,
  normaliseRecoveryCode,
  recoveryCodeMatches,
} from './one-time-codes';

/** Long enough for a pass handed over in person or by telephone to reach its owner the next morning. */
export const ENROLMENT_PASS_HOURS = 24;

/**
 * The one-time pass an account whose roles require a second factor (MFA_REQUIRED_ROLES) needs for its
 * first enrolment. Without it, whoever held the password first (a thief before the owner) could enrol
 * an authenticator of their own and own the account; the pass comes from the country's admin by another
 * channel. Shaped as a recovery code (80 random bits) and kept, as they are, as a salted hash.
 */
@Injectable()
export class MfaEnrolmentPassService {
  constructor(
    private readonly tx: TransactionService,
    private readonly store: MfaStore,
    private readonly users: UsersService,
    private readonly credentials: CredentialsService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** A country admin issues (or issues anew) the pass of another account of their country. */
  issue(ctx: RequestContext, id: string): Promise<MfaEnrolmentPassView> {
    return this.tx.run(async () => {
      const user = await this.users.findVisible(ctx, id);
      await this.users.refuseUnlessAdminOfAnother(
        ctx,
        user,
        'Nobody issues their own enrolment pass: another admin of the country does.',
      );
      // An admin who holds the account's way in issues it no pass: the one who set its password (with a
      // pass of their making they could enrol a phone of theirs before the owner, undoing the second
      // admin's enable or reset confirmation, probe r52), and the one who reset its second factor (else
      // one admin who had come by the password could swap the owner's authenticator for their own, alone).
      const me = actorOf(ctx).userId;
      const holds =
        user.passwordSetBy === me
          ? 'You set this account’s password, so another admin of the country issues its enrolment pass (or its owner first sets a password of their own).'
          : user.mfaResetBy === me
            ? 'You reset this account’s second factor, so another admin of the country issues its enrolment pass.'
            : null;
      if (holds)
        await this.access.forbidden(
          ctx,
          { recordType: 'user', recordId: user.id, ownerCountry: user.countryCode },
          holds,
        );
      return this.issueFor(ctx, user);
    });
  }

  /**
   * The command line's pass (`npm run user:create` for the account it just made, `npm run
   * user:enrolment-pass` for an existing one): for a country's first admin, and whoever no
   * enrolled admin can issue one to (probe r52) — every admin of a country when `admin` is added to
   * MFA_REQUIRED_ROLES on a running deployment (the API asks the issuer to be enrolled first, and nobody
   * issues their own), the platform administrator (no country admin sees that account), a first admin
   * whose printed pass expired. Null when no account has that username.
   */
  issueForUsername(
    ctx: RequestContext,
    username: string,
  ): Promise<(MfaEnrolmentPassView & { username: string }) | null> {
    return this.tx.run(async () => {
      const user = await this.tx.manager
        .getRepository(User)
        .createQueryBuilder('u')
        .where('lower(u.username) = :name', { name: username.trim().toLowerCase() })
        .getOne();
      return user ? { username: user.username, ...(await this.issueFor(ctx, user)) } : null;
    });
  }

  private async issueFor(ctx: RequestContext, user: User): Promise<MfaEnrolmentPassView> {
    if (user.mfaEnabledAt)
      throw new ConflictError(
        'The account has a second factor already; a pass is for a first enrolment (reset the factor first).',
      );
    const pass = newRecoveryCode();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + ENROLMENT_PASS_HOURS * 3_600_000);
    const hashed = hashRecoveryCode(normaliseRecoveryCode(pass)!);
    // The command line is no account (COMMAND_LINE_USER_ID): its passes have no issuer, as its accounts no creator.
    const issuer = actorOf(ctx).userId === COMMAND_LINE_USER_ID ? null : actorOf(ctx).userId;
    await this.store.setEnrolmentPass(user.id, hashed, issuer, now, expiresAt);
    await this.audit.record(ctx, {
      action: 'user.mfa.enrolment_pass.issue',
      recordType: 'user',
      recordId: user.id,
      ownerCountry: user.countryCode,
      details: { expiresAt: expiresAt.toISOString() },
    });
    return { enrolmentPass: pass, expiresAt: expiresAt.toISOString() };
  }

  /**
   * At the confirmation of an enrolment the caller's roles oblige: the pass's stored hash, for the
   * enable to use it up. A wrong, used or expired pass counts toward the lockout as a wrong password
   * does (its owner typed the password right just before).
   */
  async check(
    ctx: RequestContext,
    user: User,
    pass: string,
    now: Date,
    ownAddress: FamiliarAddress | null,
  ): Promise<string> {
    const stored = await this.store.enrolmentPassOf(user.id, now);
    const typed = normaliseRecoveryCode(pass);
    if (stored && typed && recoveryCodeMatches(typed, stored.salt, stored.hash)) return stored.hash;
    await this.credentials.recordWrongPassword(
      ctx,
      user,
      now,
      'auth.mfa.enable.failed',
      ownAddress,
      'wrong-enrolment-pass',
    );
    throw new ValidationFailedError([
      {
        field: 'enrolmentPass',
        message: 'enrolmentPass is not a valid pass of this account (wrong, used, replaced or expired)',
      },
    ]);
  }
}
