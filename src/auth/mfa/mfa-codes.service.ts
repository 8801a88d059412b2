import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import type { RequestContext } from '../../common/request-context';
import { TransactionService } from '../../database/transaction.service';
import type { User } from '../../users/user.entity';
import { actorOfUser } from '../../users/user-actor';
import { MFA_SECRET_BOX, MfaSecretBox } from './mfa-secret-box';
import { MfaStore } from './mfa.store';
import { looksLikeTotp, matchTotp, normaliseRecoveryCode, recoveryCodeMatches } from './one-time-codes';

export type SecondFactor = 'totp' | 'recovery-code';

/**
 * Checks a second-factor code of an account whose second factor is on, and uses it up: a TOTP code's
 * time step is remembered (no code, nor an earlier one, is accepted again) and a recovery code is burnt
 * (audited, in the same transaction). Anything else, of any shape or length, is simply a wrong code.
 */
@Injectable()
export class MfaCodesService {
  constructor(
    private readonly tx: TransactionService,
    private readonly store: MfaStore,
    private readonly audit: AuditService,
    @Inject(MFA_SECRET_BOX) private readonly box: MfaSecretBox,
  ) {}

  /** The factor the code proved, or null for a wrong, reused or malformed code. */
  async use(ctx: RequestContext, user: User, code: string, now: Date): Promise<SecondFactor | null> {
    const stored = await this.store.of(user.id);
    if (!stored?.secret || !stored.enabledAt) return null;
    if (looksLikeTotp(code)) {
      const secret = this.box.open(stored.secret, user.id);
      if (secret === null) return null;
      const step = matchTotp(secret, code, now, stored.lastTimeStep);
      return step !== null && (await this.store.useTimeStep(user.id, step)) ? 'totp' : null;
    }
    const normalised = normaliseRecoveryCode(code);
    if (!normalised) return null;
    const match = (await this.store.unusedRecoveryCodes(user.id)).find((c) =>
      recoveryCodeMatches(normalised, c.salt, c.codeHash),
    );
    if (!match) return null;
    return this.tx.run(async () => {
      const left = await this.store.burnRecoveryCode(user.id, match.id, now);
      if (left === null) return null;
      await this.audit.record(
        { ...ctx, actor: ctx.actor ?? actorOfUser(user) },
        {
          action: 'auth.mfa.recovery_code.use',
          recordType: 'user',
          recordId: user.id,
          ownerCountry: user.countryCode,
          details: { recoveryCodesLeft: left },
        },
      );
      return 'recovery-code' as const;
    });
  }
}
