import { Transform } from 'class-transformer';
import { IsString, Length, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { normaliseUsername, USERNAME_MESSAGE, USERNAME_PATTERN } from '../../users/username';

/**
 * Checked by the login throttler before the rate limits and passport-local see it: a number, null or
 * object is a 400 naming the field, and the username is normalised once (trimmed, lower-case).
 */
export class LoginDto {
  /** Case and surrounding spaces are ignored; anything outside a-z, 0-9, `.`, `_`, `-` is refused. */
  @Transform(normaliseUsername)
  @IsString()
  @MaxLength(64)
  @Matches(USERNAME_PATTERN, { message: USERNAME_MESSAGE })
  username!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(512)
  password!: string;

  /**
   * For an account with a second factor: the authenticator app's current 6-digit code, or one of its
   * unused recovery codes. Without it such an account's right password answers 401 `mfa-required`.
   */
  // Absent is "no code"; null, a number or an object is a 400 like any other malformed field.
  @ValidateIf((_body: unknown, value: unknown) => value !== undefined)
  @IsString()
  @MaxLength(64)
  code?: string;
}

export class RefreshDto {
  @IsString()
  @Length(16, 128)
  refreshToken!: string;
}

export class ChangePasswordDto {
  @IsString()
  @MaxLength(512)
  currentPassword!: string;

  /** 12–128 characters, spaces allowed, not a common password. */
  @IsString()
  @MaxLength(512)
  newPassword!: string;
}

export class TokensView {
  accessToken!: string;
  refreshToken!: string;
  /** Seconds until the access token expires. */
  expiresIn!: number;
  tokenType!: 'Bearer';
}
