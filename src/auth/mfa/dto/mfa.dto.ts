import { IsString, Matches, MaxLength } from 'class-validator';
import { IsOptionalNotNull } from '../../../common/http/validators';
import { UserView } from '../../../users/dto/user-view.dto';

export class ConfirmMfaEnrolmentDto {
  /**
   * The account's password: an access token alone does not turn the second factor on (someone holding
   * a stolen token would lock the owner out).
   */
  @IsString()
  @MaxLength(512)
  currentPassword!: string;

  /** The authenticator app's current 6-digit code for the secret of the pending enrolment. */
  @IsString()
  @MaxLength(6)
  @Matches(/^[0-9]{6}$/, { message: 'code must be the 6 digits the authenticator app shows' })
  code!: string;

  /**
   * The one-time pass the country's admin issued (`POST /users/{id}/mfa/enrolment-pass`): required when
   * the account's roles require a second factor (MFA_REQUIRED_ROLES), ignored otherwise. Absent, not
   * `null`: a null is refused here as any other non-string (probe r52: it reached the service, a 500).
   */
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(64)
  enrolmentPass?: string;
}

export class MfaEnrolmentPassView {
  /** The one-time pass for the account's first enrolment (four groups of four characters). Shown once. */
  enrolmentPass!: string;
  /** When it stops being valid (ISO 8601). */
  expiresAt!: string;
}

export class DisableMfaDto {
  /** The authenticator app's current 6-digit code, or one of the account's unused recovery codes. */
  @IsString()
  @MaxLength(64)
  code!: string;
}

export class MfaEnrolmentView {
  /** The TOTP secret (base32), for an authenticator app that cannot scan the URL. Shown once. */
  secret!: string;
  /** `otpauth://totp/…` with issuer "Task Force Case Desk" and the username as label (for a QR code). */
  otpauthUrl!: string;
}

export class MfaRecoveryCodesView {
  /** One-time codes for when the authenticator app is lost: each signs in once. Shown this once only. */
  recoveryCodes!: string[];
}

export class MfaStatusView {
  /** The account signs in with a second factor. */
  enabled!: boolean;
  /** The account's roles require one (MFA_REQUIRED_ROLES). */
  required!: boolean;
}

/** The caller's account, with its second factor's state. */
export class MeView extends UserView {
  mfa!: MfaStatusView;
}
