import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { HasVisibleText, IsOptionalNotNull, IsUUID, MAX_VERSION } from '../../common/http/validators';
import { COUNTRY_ROLES, CountryRole } from '../../common/permissions/roles';
import { PageQueryDto } from '../../common/pagination/page';
import { normaliseUsername, USERNAME_MESSAGE, USERNAME_PATTERN } from '../username';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateUserDto {
  /** 3–64 characters: lower-case letters, digits, `.`, `_`, `-`; unique whatever the case. */
  @Transform(normaliseUsername)
  @IsString()
  @Matches(USERNAME_PATTERN, { message: USERNAME_MESSAGE })
  @MaxLength(64)
  username!: string;

  @Transform(trim)
  @IsString()
  @HasVisibleText()
  @Length(1, 200)
  displayName!: string;

  /** An agency of the admin's own country. */
  @IsUUID()
  @MaxLength(36)
  agencyId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsIn(COUNTRY_ROLES, { each: true, message: `each role must be one of ${COUNTRY_ROLES.join(', ')}` })
  roles!: CountryRole[];

  /** Initial password: 12–128 characters, not a common one. */
  @IsString()
  @MaxLength(512)
  password!: string;
}

export class UpdateUserDto {
  @IsOptionalNotNull()
  @Transform(trim)
  @IsString()
  @HasVisibleText()
  @Length(1, 200)
  displayName?: string;

  @IsOptionalNotNull()
  @IsUUID()
  @MaxLength(36)
  agencyId?: string;

  @IsOptionalNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsIn(COUNTRY_ROLES, { each: true, message: `each role must be one of ${COUNTRY_ROLES.join(', ')}` })
  roles?: CountryRole[];

  /** The `version` last read; a stale one answers 409. */
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version!: number;
}

export class ResetPasswordDto {
  @IsString()
  @MaxLength(512)
  newPassword!: string;
}

export class ListUsersQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(['active', 'disabled'])
  status?: 'active' | 'disabled';

  @IsOptional()
  @IsIn(COUNTRY_ROLES)
  role?: CountryRole;
}
