import { Injectable, SetMetadata } from '@nestjs/common';
import type { Actor } from '../../common/request-context';
import type { Role } from '../../common/permissions/roles';
import { AppConfig } from '../../config/app-config.service';

export const OPEN_BEFORE_MFA_ENROLMENT = 'openBeforeMfaEnrolment';

/**
 * Marks a route of the caller's own account that stays open to a user whose role requires a second
 * factor they have not enrolled yet (so they can see why, enrol, change their password or sign out).
 * Every other route answers 403 `mfa-enrolment-required` to them (AuthenticationGuard).
 */
export const OpenBeforeMfaEnrolment = () => SetMetadata(OPEN_BEFORE_MFA_ENROLMENT, true);

/** MFA_REQUIRED_ROLES: whose roles oblige them to sign in with a second factor. */
@Injectable()
export class MfaPolicy {
  private readonly roles: ReadonlySet<string>;

  constructor(config: AppConfig) {
    this.roles = new Set(
      config
        .get('MFA_REQUIRED_ROLES')
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    );
  }

  requiredFor(roles: readonly Role[]): boolean {
    return roles.some((r) => this.roles.has(r));
  }

  /** The actor must enrol a second factor before using anything but their own account's routes. */
  awaitsEnrolment(actor: Actor): boolean {
    return !actor.mfaEnabled && this.requiredFor(actor.roles);
  }
}
