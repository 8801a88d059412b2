import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
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
  ISO_COUNTRY,
  IsOptionalNotNull,
  IsUUID,
  MAX_VERSION,
} from '../../common/http/validators';
import { PageQueryDto } from '../../common/pagination/page';
import { CASE_PERSON_ROLES, CasePersonRole } from '../case-file.entity';
import { HandlingCode, SHAREABLE_HANDLING_CODES } from '../../sharing/handling-code';
import { timesAsRead } from '../../access/times-as-read';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const TAG = /^[\p{L}\p{N}][\p{L}\p{N} _.-]{0,49}$/u;

export class CasePersonLinkDto {
  @IsUUID()
  @MaxLength(36)
  personId!: string;

  @IsIn(CASE_PERSON_ROLES)
  role!: CasePersonRole;
}

export class CreateCaseDto {
  @Transform(trim)
  @IsString()
  @HasVisibleText()
  @Length(1, 300)
  title!: string;

  @IsOptional()
  @IsString()
  @MaxLength(20000)
  summary?: string;

  /** Defaults to today. */
  @IsOptional()
  @Matches(CALENDAR_DATE, { message: CALENDAR_DATE_MESSAGE })
  @IsDateString({ strict: true })
  @MaxLength(40)
  openedOn?: string;

  /** An officer of the caller's country; defaults to the caller. */
  @IsOptional()
  @IsUUID()
  @MaxLength(36)
  leadOfficerId?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @Matches(TAG, { each: true, message: 'each tag must be 1–50 letters, digits, spaces, "_", "." or "-"' })
  @MaxLength(50, { each: true })
  tags?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => CasePersonLinkDto)
  persons?: CasePersonLinkDto[];
}

export class UpdateCaseDto {
  @IsOptionalNotNull()
  @Transform(trim)
  @IsString()
  @HasVisibleText()
  @Length(1, 300)
  title?: string;

  @IsOptionalNotNull()
  @IsString()
  @MaxLength(20000)
  summary?: string;

  @IsOptionalNotNull()
  @IsIn(['open', 'closed'])
  status?: 'open' | 'closed';

  @IsOptional()
  @IsUUID()
  @MaxLength(36)
  leadOfficerId?: string;

  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(30)
  @Matches(TAG, { each: true, message: 'each tag must be 1–50 letters, digits, spaces, "_", "." or "-"' })
  @MaxLength(50, { each: true })
  tags?: string[];

  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version!: number;
}

export class LinkPersonsDto {
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => CasePersonLinkDto)
  persons!: CasePersonLinkDto[];
}

export class ShareCaseDto {
  @Matches(ISO_COUNTRY, { message: 'countryCode must be an ISO 3166-1 alpha-2 code' })
  @MaxLength(2)
  countryCode!: string;

  /** TLP 2.0 code the receiving country holds the case and its persons under (default `AMBER`). */
  @IsOptional()
  @IsIn(SHAREABLE_HANDLING_CODES)
  handlingCode?: Exclude<HandlingCode, 'RED'>;
}

export class ListCasesQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(['open', 'closed'])
  status?: 'open' | 'closed';

  @IsOptional()
  @IsString()
  @MaxLength(50)
  tag?: string;

  /** Text in the title, summary or reference. */
  @IsOptional()
  @IsString()
  @Length(2, 200)
  q?: string;

  @IsOptional()
  @Matches(CALENDAR_DATE, { message: CALENDAR_DATE_MESSAGE })
  @IsDateString({ strict: true })
  @MaxLength(40)
  openedFrom?: string;

  @IsOptional()
  @Matches(CALENDAR_DATE, { message: CALENDAR_DATE_MESSAGE })
  @IsDateString({ strict: true })
  @MaxLength(40)
  openedTo?: string;
}

export class CasePersonView {
  personId!: string;
  role!: CasePersonRole;
  /**
   * The code the caller's country holds this person under: the strictest it received the person under
   * from another country (which can be stricter than the case's `receivedUnder`); null for its own.
   */
  receivedUnder!: HandlingCode | null;
}

export class CaseShareView {
  countryCode!: string;
  sharedAt!: string;
  handlingCode!: HandlingCode;
}

export class CaseView {
  id!: string;
  reference!: string;
  ownerCountry!: string;
  title!: string;
  summary!: string;
  status!: 'open' | 'closed';
  openedOn!: string;
  closedOn!: string | null;
  /** Shown to the owner only. */
  leadOfficerId!: string | null;
  tags!: string[];
  persons!: CasePersonView[];
  /** Countries the case is shared with; shown to the owner only. */
  sharedWith!: CaseShareView[];
  /** True when the caller's country may only read it. */
  readOnly!: boolean;
  /** For a country the case is shared with: the handling code it was shared under. */
  receivedUnder!: HandlingCode | null;
  /**
   * For the owner, when it opened the case; for another country, when the case was first shared with
   * it: when the owner opened it is the owner's.
   */
  createdAt!: string;
  /**
   * For another country, the later of `createdAt` and the owner's last change: changes made before the
   * case reached it are the owner's.
   */
  updatedAt!: string;
  /**
   * For the owner, the version to send with a change; null for another country, which may not change
   * the case (and is not told how often the owner did).
   */
  version!: number | null;
}

/**
 * Who reads a case: the reader's country and, for a case another country owns, since when it reads it
 * (`caseSeenSince`). A case of another country is never shown without `seenSince`: its owner's
 * creation time, edit count and pre-share edit times are the owner's.
 */
export interface CaseReader {
  country: string | null;
  seenSince?: Date;
}

/** A case's times and version as the reader reads them (`timesAsRead`). */
export function caseViewTimes(
  c: {
    id: string;
    ownerCountry: string;
    createdAt: Date;
    updatedAt: Date;
    contentUpdatedAt: Date;
    version: number;
  },
  reader: CaseReader & { sharedAt?: Date },
): Pick<CaseView, 'createdAt' | 'updatedAt' | 'version'> {
  // A partner's last change: of what it reads (not the lead officer), and no earlier than the share
  // it reads the case through, so an edit made while an earlier share was revoked reads as of the new one.
  const partnerChange =
    reader.sharedAt && reader.sharedAt > c.contentUpdatedAt ? reader.sharedAt : c.contentUpdatedAt;
  return timesAsRead({ kind: 'case', ...c }, reader, partnerChange);
}
