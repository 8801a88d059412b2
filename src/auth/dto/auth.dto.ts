import { IsString, Length, MaxLength } from 'class-validator';

export class LoginDto {
  @IsString()
  @MaxLength(64)
  username!: string;

  @IsString()
  @MaxLength(512)
  password!: string;
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
