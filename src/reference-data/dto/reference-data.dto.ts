import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDateString,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  CALENDAR_DATE,
  CALENDAR_DATE_MESSAGE,
  HasVisibleText,
  IsOptionalNotNull,
} from '../../common/http/validators';
import type { Agency } from '../agency.entity';
import type { Country } from '../country.entity';
import type { Framework } from '../framework.entity';

const ISO_COUNTRY = /^[A-Z]{2}$/;
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateCountryDto {
  /** ISO 3166-1 alpha-2, upper case. */
  @IsString()
  @Matches(ISO_COUNTRY, { message: 'code must be an ISO 3166-1 alpha-2 code such as KR' })
  @MaxLength(2)
  code!: string;

  @Transform(trim)
  @IsString()
  @HasVisibleText()
  @Length(1, 100)
  name!: string;
}

export class CreateAgencyDto {
  @IsString()
  @Matches(ISO_COUNTRY, { message: 'countryCode must be an ISO 3166-1 alpha-2 code such as KR' })
  @MaxLength(2)
  countryCode!: string;

  @Transform(trim)
  @IsString()
  @HasVisibleText()
  @Length(1, 200)
  name!: string;
}

export class ListAgenciesQueryDto {
  @IsOptional()
  @IsString()
  @Matches(ISO_COUNTRY, { message: 'countryCode must be an ISO 3166-1 alpha-2 code such as KR' })
  @MaxLength(2)
  countryCode?: string;
}

/** Hours from `sent` by priority; an absent one keeps the default (4 h, 48 h, 14 days). */
export class DueHoursDto {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2160)
  immediate?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2160)
  urgent?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2160)
  routine?: number;
}

export class CreateFrameworkDto {
  @Transform(trim)
  @IsString()
  @HasVisibleText()
  @Length(1, 200)
  name!: string;

  /** Member countries (two or more ISO codes). */
  @IsArray()
  @ArrayMinSize(2)
  // ISO 3166-1 has 249 codes: no framework can list more.
  @ArrayMaxSize(249)
  @ArrayUnique()
  @Matches(ISO_COUNTRY, { each: true, message: 'each member must be an ISO 3166-1 alpha-2 code' })
  @MaxLength(2, { each: true })
  members!: string[];

  @Matches(CALENDAR_DATE, { message: CALENDAR_DATE_MESSAGE })
  @IsDateString({ strict: true })
  @MaxLength(40)
  validFrom!: string;

  @IsOptional()
  @Matches(CALENDAR_DATE, { message: CALENDAR_DATE_MESSAGE })
  @IsDateString({ strict: true })
  @MaxLength(40)
  validTo?: string;

  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => DueHoursDto)
  dueHours?: DueHoursDto;
}

export class UpdateFrameworkDto {
  @IsOptional()
  @Matches(CALENDAR_DATE, { message: CALENDAR_DATE_MESSAGE })
  @IsDateString({ strict: true })
  @MaxLength(40)
  validTo?: string;

  @IsOptionalNotNull()
  @IsBoolean()
  active?: boolean;

  @IsOptionalNotNull()
  @IsArray()
  @ArrayMinSize(2)
  // ISO 3166-1 has 249 codes: no framework can list more.
  @ArrayMaxSize(249)
  @ArrayUnique()
  @Matches(ISO_COUNTRY, { each: true, message: 'each member must be an ISO 3166-1 alpha-2 code' })
  @MaxLength(2, { each: true })
  members?: string[];

  @IsOptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => DueHoursDto)
  dueHours?: DueHoursDto;
}

export class CountryView {
  code!: string;
  name!: string;
}

export class AgencyView {
  id!: string;
  countryCode!: string;
  name!: string;
}

/** One country's membership of a framework: it counts from `joinedOn` until the day before `leftOn`. */
export class SetMembershipDto {
  @Matches(CALENDAR_DATE, { message: CALENDAR_DATE_MESSAGE })
  @IsDateString({ strict: true })
  @MaxLength(40)
  joinedOn!: string;

  /** The first day it is no longer a member; null or absent: still a member. */
  @IsOptional()
  @Matches(CALENDAR_DATE, { message: CALENDAR_DATE_MESSAGE })
  @IsDateString({ strict: true })
  @MaxLength(40)
  leftOn?: string | null;
}

export class FrameworkMembershipView {
  country!: string;
  joinedOn!: string;
  leftOn!: string | null;
}

export class FrameworkView {
  id!: string;
  name!: string;
  /** Every country listed, whatever its dates (see `memberships` for when each counts). */
  members!: string[];
  memberships!: FrameworkMembershipView[];
  validFrom!: string;
  validTo!: string | null;
  active!: boolean;
  dueHours!: DueHoursDto;
}

export const toCountryView = (c: Country): CountryView => ({ code: c.code, name: c.name });
export const toAgencyView = (a: Agency): AgencyView => ({
  id: a.id,
  countryCode: a.countryCode,
  name: a.name,
});
export const toFrameworkView = (f: Framework): FrameworkView => ({
  id: f.id,
  name: f.name,
  members: [...f.members].sort(),
  memberships: [...f.memberships].sort((a, b) => a.country.localeCompare(b.country)),
  validFrom: f.validFrom,
  validTo: f.validTo,
  active: f.active,
  dueHours: f.dueHours,
});
