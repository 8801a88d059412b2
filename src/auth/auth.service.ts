import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { KeyObject } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { ConflictError, UnauthenticatedError, ValidationFailedError } from '../common/errors/domain-errors';
import { actorOf, RequestContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { AppConfig } from '../config/app-config.service';
import { TransactionService } from '../database/transaction.service';
import { User } from '../users/user.entity';
import { AUTH_LIMITS } from '../users/auth-settings';
import { CredentialsService } from './credentials.service';
import { CurrentUserCache } from '../users/current-user.cache';
import type { ChangePasswordDto, TokensView } from './dto/auth.dto';
import { JWT_KEY } from './jwt-key.provider';
import { passwordHasher } from '../users/password-hasher';
import { passwordProblem } from '../users/password-policy';
import { actorOfUser } from '../users/user-actor';
import { IssuedSession, SessionsService } from '../users/sessions.service';
import { SignInAddressesStore } from '../users/sign-in-addresses.store';

/** The context of a request made by `user` before any token says so (sign-in, refresh). */
function actingAs(ctx: RequestContext, user: User): RequestContext {
  return { ...ctx, actor: actorOfUser(user) };
}

@Injectable()
export class AuthService {
  constructor(
    private readonly tx: TransactionService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly jwt: JwtService,
    private readonly users: CurrentUserCache,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly credentials: CredentialsService,
    private readonly addresses: SignInAddressesStore,
    @Inject(JWT_KEY) private readonly key: KeyObject,
  ) {}

  /** Called once the local strategy has accepted the credentials. */
  login(ctx: RequestContext, user: User): Promise<TokensView> {
    return this.tx.run(async () => {
      // Sign-in bookkeeping is not an edit of the account: its version stays. A lockout others caused
      // stays for them: the owner signed in from an address of its own (CredentialsService).
      const now = this.clock.now();
      await this.tx.manager.query(
        `UPDATE app_user SET failed_logins = 0, failed_logins_since = NULL, locked_until = NULL
          WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $2)`,
        [user.id, now],
      );
      await this.addresses.signedIn(user.id, ctx.sourceIp, now);
      const session = await this.sessions.start(user.id);
      await this.audit.record(actingAs(ctx, user), {
        action: 'auth.login',
        recordType: 'user',
        recordId: user.id,
        ownerCountry: user.countryCode,
        details: { sessionId: session.familyId },
      });
      return this.tokens(user.id, session);
    });
  }

  async refresh(ctx: RequestContext, refreshToken: string): Promise<TokensView> {
    const result = await this.tx.run(async () => {
      const rotation = await this.sessions.rotate(refreshToken);
      if (rotation.outcome === 'rotated') {
        // The token names its user: the event is theirs and their country's, as at sign-in.
        const user = await this.tx.manager.getRepository(User).findOneByOrFail({ id: rotation.userId });
        await this.audit.record(actingAs(ctx, user), {
          action: 'auth.refresh',
          recordType: 'user',
          recordId: user.id,
          ownerCountry: user.countryCode,
          details: { sessionId: rotation.session.familyId },
        });
      }
      if (rotation.outcome === 'reused') {
        // A rotated token came back: it was copied. End the whole sign-in, for the thief and the owner.
        await this.sessions.revokeFamily(rotation.familyId);
        // Nobody is signed in here: the event belongs to the user's country, for its auditors to see.
        const owner = await this.tx.manager.getRepository(User).findOne({
          where: { id: rotation.userId },
          select: { id: true, countryCode: true },
        });
        await this.audit.record(ctx, {
          action: 'auth.refresh.reuse',
          outcome: 'denied',
          recordType: 'user',
          recordId: rotation.userId,
          ownerCountry: owner?.countryCode ?? null,
          details: { sessionId: rotation.familyId },
        });
      }
      return rotation;
    });
    // After the commit: the revoked sign-in is refused by every instance once this answers.
    if (result.outcome === 'reused') await this.users.invalidateSession(result.familyId);
    if (result.outcome !== 'rotated')
      throw new UnauthenticatedError('The refresh token is not valid; sign in again.');
    return this.tokens(result.userId, result.session);
  }

  async logout(ctx: RequestContext): Promise<void> {
    const actor = actorOf(ctx);
    if (!actor.sessionId) return;
    const sessionId = actor.sessionId;
    await this.tx.run(async () => {
      await this.sessions.revokeFamily(sessionId);
      await this.audit.record(ctx, {
        action: 'auth.logout',
        recordType: 'user',
        recordId: actor.userId,
        ownerCountry: actor.countryCode,
        details: { sessionId },
      });
    });
    await this.users.invalidateSession(sessionId);
  }

  /** The current password is asked again (`CredentialsService.requireCurrentPassword`). */
  async changePassword(ctx: RequestContext, dto: ChangePasswordDto): Promise<void> {
    const actor = actorOf(ctx);
    const problem = passwordProblem(dto.newPassword);
    if (problem)
      throw new ValidationFailedError([{ field: 'newPassword', message: `newPassword ${problem}` }]);
    const { user, ownAddress } = await this.credentials.requireCurrentPassword(
      ctx,
      actor.userId,
      dto.currentPassword,
      'auth.password.change.failed',
    );
    await this.tx.run(async () => {
      // Only over the hash that was verified: a concurrent change or reset in between wins.
      const changed = await this.tx.manager.getRepository(User).update(
        { id: user.id, passwordHash: user.passwordHash },
        // The owner's own: no admin holds it any more (MfaEnrolmentPassService).
        {
          passwordHash: await passwordHasher.hash(dto.newPassword),
          passwordChangedAt: this.clock.now(),
          passwordSetBy: null,
        },
      );
      if (changed.affected !== 1)
        throw new ConflictError('The password was changed meanwhile; sign in again.');
      await this.sessions.revokeAllOfUser(user.id);
      // Addresses that signed in with the old password are strangers now, but the one the owner is at.
      await this.addresses.forgetAll(user.id, ownAddress?.address ?? null);
      await this.audit.record(ctx, {
        action: 'auth.password.change',
        recordType: 'user',
        recordId: user.id,
        ownerCountry: user.countryCode,
      });
    });
    await this.users.invalidateUser(actor.userId);
  }

  private async tokens(userId: string, session: IssuedSession): Promise<TokensView> {
    const ttl = this.config.get('ACCESS_TOKEN_TTL_SECONDS');
    const sessionLeft = Math.floor(
      (session.sessionStartedAt.getTime() + AUTH_LIMITS.sessionMaxMs - this.clock.now().getTime()) / 1000,
    );
    const expiresIn = Math.max(1, Math.min(ttl, sessionLeft));
    const accessToken = await this.jwt.signAsync(
      { sub: userId, sid: session.familyId },
      { secret: this.key as unknown as string, algorithm: 'HS256', expiresIn },
    );
    return { accessToken, refreshToken: session.refreshToken, expiresIn, tokenType: 'Bearer' };
  }
}
