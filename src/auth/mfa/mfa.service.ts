import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import {
  ConflictError,
  TooManyRequestsError,
  ValidationFailedError,
} from '../../common/errors/domain-errors';
import { actorOf, RequestContext } from '../../common/request-context';
import { Clock } from '../../common/time/clock';
import { TransactionService } from '../../database/transaction.service';
import { CurrentUserCache } from '../../users/current-user.cache';
import { SessionsService } from '../../users/sessions.service';
import { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { CredentialsService } from '../credentials.service';
import type { MeView, MfaEnrolmentView, MfaRecoveryCodesView } from './dto/mfa.dto';
import { MfaCodesService } from './mfa-codes.service';
import { MfaEnrolmentPassService } from './mfa-enrolment-pass.service';
import { MfaPolicy } from './mfa-policy';
import { MFA_SECRET_BOX, MfaSecretBox } from './mfa-secret-box';
import { MfaStore } from './mfa.store';
import {
  hashRecoveryCode,
  matchTotp,
  newRecoveryCode,
  newTotpSecret,
  normaliseRecoveryCode,
  RECOVERY_CODE_COUNT,
} from './one-time-codes';

const ALREADY_ON = 'The second factor is on already; turn it off first (DELETE /auth/mfa).';
const NOT_ON = 'The second factor is not on.';

/**
 * A user's second factor: enrol (a secret pending until its first code is confirmed), turn off with a
 * current code, and a country admin's reset of another account of their country. Each change is
 * audited in its transaction and drops the account's cached copy (the guard's MFA policy reads it).
 */
@Injectable()
export class MfaService {
  constructor(
    private readonly tx: TransactionService,
    private readonly store: MfaStore,
    private readonly codes: MfaCodesService,
    private readonly credentials: CredentialsService,
    private readonly users: UsersService,
    private readonly cache: CurrentUserCache,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly policy: MfaPolicy,
    private readonly passes: MfaEnrolmentPassService,
    @Inject(MFA_SECRET_BOX) private readonly box: MfaSecretBox,
  ) {}

  async me(ctx: RequestContext): Promise<MeView> {
    const view = await this.users.me(ctx);
    const enabled = Boolean((await this.store.of(view.id))?.enabledAt);
    return { ...view, mfa: { enabled, required: this.policy.requiredFor(view.roles) } };
  }

  /** A new secret, pending until confirmed; it replaces a pending one. Shown this once. */
  async startEnrolment(ctx: RequestContext): Promise<MfaEnrolmentView> {
    const actor = actorOf(ctx);
    const enrolment = newTotpSecret(actor.username);
    await this.tx.run(async () => {
      if (!(await this.store.setPending(actor.userId, this.box.seal(enrolment.secret, actor.userId))))
        throw new ConflictError(ALREADY_ON);
      await this.audit.record(ctx, {
        action: 'auth.mfa.enrolment.start',
        recordType: 'user',
        recordId: actor.userId,
        ownerCountry: actor.countryCode,
      });
    });
    return enrolment;
  }

  /**
   * The first code of the pending secret turns the second factor on, and the recovery codes are made:
   * answered this once, kept as hashes only. The account's password is asked first (a wrong one counts
   * toward the lockout): a stolen access token must not turn it on and lock the owner out. A wrong code
   * changes nothing (400): whoever asks was just given the secret, so a guess here proves nothing.
   * Where the caller's roles require a second factor, the enrolment also uses up the pass their
   * country's admin issued (MfaEnrolmentPassService): the password alone must not enrol a thief.
   */
  async confirmEnrolment(
    ctx: RequestContext,
    code: string,
    currentPassword: string,
    enrolmentPass: string | undefined,
  ): Promise<MfaRecoveryCodesView> {
    const actor = actorOf(ctx);
    const passRequired = this.policy.requiredFor(actor.roles);
    if (passRequired && enrolmentPass === undefined)
      throw new ValidationFailedError([
        {
          field: 'enrolmentPass',
          message:
            'enrolmentPass is required: your role requires a second factor, and its enrolment needs the one-time pass your country’s admin issues',
        },
      ]);
    const { user, ownAddress, now } = await this.credentials.requireCurrentPassword(
      ctx,
      actor.userId,
      currentPassword,
      'auth.mfa.enable.failed',
    );
    const passHash = passRequired
      ? await this.passes.check(ctx, user, enrolmentPass!, now, ownAddress)
      : null;
    const stored = await this.store.of(actor.userId);
    if (stored?.enabledAt) throw new ConflictError(ALREADY_ON);
    const pending = stored?.pendingSecret;
    if (!pending)
      throw new ConflictError('No enrolment awaits confirmation: start one with POST /auth/mfa/enrolment.');
    const secret = this.box.open(pending, actor.userId);
    const step = secret === null ? null : matchTotp(secret, code, now, null);
    if (step === null)
      throw new ValidationFailedError([
        { field: 'code', message: 'code is not the current code of the enrolled secret' },
      ]);
    const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.tx.run(async () => {
      // Only the pending secret that was checked: a new enrolment in between wins, this one is refused.
      if (!(await this.store.enable(actor.userId, pending, step, now)))
        throw new ConflictError('The enrolment changed meanwhile; start it again.');
      if (passHash !== null && !(await this.store.useEnrolmentPass(actor.userId, passHash, now)))
        throw new ConflictError(
          'The enrolment pass was used or replaced meanwhile; ask your country’s admin for a new one.',
        );
      // The account's other sessions were opened with the password alone (probe r39): one of a password
      // thief would otherwise outlive the enrolment, and under MFA_REQUIRED_ROLES gain every route by it.
      await this.sessions.revokeOthersOfUser(actor.userId, actor.sessionId);
      await this.store.replaceRecoveryCodes(
        actor.userId,
        recoveryCodes.map((c) => hashRecoveryCode(normaliseRecoveryCode(c)!)),
      );
      await this.audit.record(ctx, {
        action: 'auth.mfa.enable',
        recordType: 'user',
        recordId: actor.userId,
        ownerCountry: actor.countryCode,
        details: { recoveryCodes: recoveryCodes.length },
      });
    });
    await this.cache.invalidateUser(actor.userId);
    return { recoveryCodes };
  }

  /**
   * Off, with a current code (TOTP or recovery). A wrong code counts toward the sign-in lockout and is
   * audited, as a wrong current password does at a password change: a stolen access token must not
   * become an unlimited code guesser. While the account is locked nothing is tried (429).
   */
  async disable(ctx: RequestContext, code: string): Promise<void> {
    const actor = actorOf(ctx);
    const user = await this.tx.manager.getRepository(User).findOneByOrFail({ id: actor.userId });
    if (!user.mfaEnabledAt) throw new ConflictError(NOT_ON);
    const now = this.clock.now();
    const ownAddress = await this.credentials.ownAddressOf(ctx, user, now);
    const lockedFor = this.credentials.lockedForSeconds(user, now, ownAddress);
    if (lockedFor > 0) throw new TooManyRequestsError(lockedFor);
    const factor = await this.codes.use(ctx, user, code, now);
    if (!factor) {
      await this.credentials.recordWrongPassword(
        ctx,
        user,
        now,
        'auth.mfa.disable.failed',
        ownAddress,
        'wrong-code',
      );
      throw new ValidationFailedError([{ field: 'code', message: 'code is not correct' }]);
    }
    await this.tx.run(async () => {
      // Only while it is still on: an admin's reset (or another request turning it off) since the code
      // was checked won; this request changed nothing, so it writes no event saying it did (409).
      if (!(await this.store.clear(user.id, null))) throw new ConflictError(NOT_ON);
      await this.audit.record(ctx, {
        action: 'auth.mfa.disable',
        recordType: 'user',
        recordId: user.id,
        ownerCountry: user.countryCode,
        details: { provedWith: factor },
      });
    });
    await this.cache.invalidateUser(user.id);
  }

  /**
   * A country admin turns off the second factor of another account of their country (a lost phone):
   * its owner signs in with the password alone again, or enrols anew. Never their own account's.
   * Every session of the account ends with it: the lost phone may hold one, and whoever found it must
   * not keep using the account once its owner has asked for the reset.
   */
  async reset(ctx: RequestContext, id: string): Promise<void> {
    await this.tx.run(async () => {
      const user = await this.users.findVisible(ctx, id);
      await this.users.refuseUnlessAdminOfAnother(
        ctx,
        user,
        'Nobody resets their own second factor: turn it off with a code (DELETE /auth/mfa).',
      );
      if (!(await this.store.clear(user.id, actorOf(ctx).userId)))
        throw new ConflictError('The account has no second factor to reset.');
      await this.sessions.revokeAllOfUser(user.id);
      await this.audit.record(ctx, {
        action: 'user.mfa.reset',
        recordType: 'user',
        recordId: user.id,
        ownerCountry: user.countryCode,
        before: { mfaEnabled: Boolean(user.mfaEnabledAt) },
        after: { mfaEnabled: false },
      });
    });
    await this.cache.invalidateUser(id);
  }
}
