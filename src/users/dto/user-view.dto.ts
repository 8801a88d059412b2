import type { Role } from '../../common/permissions/roles';
import type { User, UserStatus } from '../user.entity';

/** A user account as the API shows it: never the password hash or the failure counters. */
export class UserView {
  id!: string;
  username!: string;
  displayName!: string;
  agencyId!: string | null;
  countryCode!: string | null;
  roles!: Role[];
  status!: UserStatus;
  /** True while sign-in is locked after repeated failures. */
  locked!: boolean;
  /**
   * The admin who reset the password, while the reset awaits a second admin of the country
   * (`POST /users/{id}/reset-password/confirm`): until then the account cannot sign in. Null otherwise.
   */
  passwordResetBy!: string | null;
  /** Signs in with a second factor (TOTP); a country admin resets it (`POST /users/{id}/mfa/reset`). */
  mfaEnabled!: boolean;
  createdAt!: string;
  updatedAt!: string;
  version!: number;
}

export function toUserView(user: User, now = new Date()): UserView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    agencyId: user.agencyId,
    countryCode: user.countryCode,
    roles: user.roles,
    status: user.status,
    locked: user.lockedUntil !== null && user.lockedUntil > now,
    passwordResetBy: user.passwordResetBy,
    mfaEnabled: user.mfaEnabledAt !== null,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
    version: user.version,
  };
}

/** An officer a request can be assigned to, as a liaison or officer of the same country sees them. */
export class AssignableOfficerView {
  id!: string;
  displayName!: string;
}
