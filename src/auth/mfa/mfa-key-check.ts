import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { MFA_SECRET_BOX, MfaSecretBox } from './mfa-secret-box';
import { MfaStore } from './mfa.store';

const SAMPLE = 20;

/**
 * Tries the current key on the second factors turned on last, once at start-up. A new JWT_SECRET with
 * MFA_ENCRYPTION_KEY unset, or a lost MFA_ENCRYPTION_KEY, leaves every enrolled secret sealed under a
 * key the service no longer has: its users' right codes then count as wrong until they are locked out.
 * The operator reads it here, with the way out, instead of hearing it from the users one by one.
 */
@Injectable()
export class MfaKeyCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger(MfaKeyCheck.name);

  constructor(
    private readonly store: MfaStore,
    @Inject(MFA_SECRET_BOX) private readonly box: MfaSecretBox,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const sample = await this.store.lastEnabled(SAMPLE);
    const unreadable = sample.filter((s) => this.box.open(s.secret, s.userId) === null).length;
    if (unreadable === 0) return;
    this.logger.error(
      `${unreadable} of the ${sample.length} second factors turned on last do not open under the current key: ` +
        'their users cannot sign in. Restore the key they were sealed under (MFA_ENCRYPTION_KEY, or JWT_SECRET ' +
        'when MFA_ENCRYPTION_KEY is unset); if it is lost, a country admin resets each ' +
        '(POST /api/v1/users/{id}/mfa/reset) and its user enrols again.',
    );
  }
}
