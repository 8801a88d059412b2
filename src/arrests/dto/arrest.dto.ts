import { HandlingCode, SHAREABLE_HANDLING_CODES } from '../../sharing/handling-code';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
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
import { PageQueryDto } from '../../common/pagination/page';
import {
  DATE_TIME,
  IsIsoCountry,
  ISO_COUNTRY,
  IsOptionalNotNull,
  IsUUID,
  MAX_VERSION,
} from '../../common/http/validators';
import { PersonFieldsDto } from '../../persons/dto/person.dto';
import type { PersonName } from '../../persons/person.entity';

export const CUSTODY_STATUSES = [
  'detained',
  'released',
  'charged',
  'transferred',
  'repatriated',
  'deceased',
] as const;
export type CustodyStatus = (typeof CUSTODY_STATUSES)[number];
/** `repatriated` is reached only through a confirmed repatriation handover. */
export const RECORDABLE_CUSTODY_STATUSES = CUSTODY_STATUSES.filter((s) => s !== 'repatriated');
/** Statuses in which a person can still be handed over to another country. */
export const IN_CUSTODY: readonly CustodyStatus[] = ['detained', 'charged', 'transferred'];

export class CoordinatesDto {
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  latitude!: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  longitude!: number;
}

/** One arrested person: a single arrest, one element of a batch, or one CSV row. */
export class CreateArrestDto {
  /** Date and time of the arrest with its zone. */
  @Matches(DATE_TIME, { message: 'arrestedAt must be an ISO 8601 date and time with a zone' })
  @IsISO8601({ strict: true }, { message: 'arrestedAt must be a real date and time' })
  @MaxLength(40)
  arrestedAt!: string;

  /** Where, in free text (a compound's name and address). */
  @IsString()
  @Length(1, 500)
  place!: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  province?: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  district?: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CoordinatesDto)
  coordinates?: CoordinatesDto;

  /** One of the arresting country's own cases. */
  @IsOptional()
  @IsUUID()
  @MaxLength(36)
  caseId?: string;

  /** The operation's name. */
  @IsOptional()
  @IsString()
  @Length(1, 300)
  operation?: string;

  @IsString()
  @Length(1, 2000)
  grounds!: string;

  @IsString()
  @Length(1, 300)
  arrestingAgency!: string;

  /** An existing person the caller can see; or give `person` to record a new one. */
  @IsOptional()
  @IsUUID()
  @MaxLength(36)
  personId?: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PersonFieldsDto)
  person?: PersonFieldsDto;

  /** The nationality the arrest is recorded under: any country (ISO 3166-1 alpha-2), member or not. */
  @IsIsoCountry({ message: (a) => `nationality '${String(a.value)}' is not a known country code` })
  @MaxLength(2)
  nationality!: string;

  /** `detained` unless said otherwise. */
  @IsOptional()
  @IsIn(RECORDABLE_CUSTODY_STATUSES)
  custodyStatus?: CustodyStatus;

  @IsOptional()
  @IsUUID()
  @MaxLength(36)
  screeningHitId?: string;

  @IsOptional()
  @IsUUID()
  @MaxLength(36)
  blacklistEntryId?: string;

  @IsOptional()
  @IsUUID()
  @MaxLength(36)
  blacklistRequestId?: string;
}

/**
 * One raid: up to 2,000 arrests recorded all or nothing. Each element has the shape of
 * `CreateArrestDto`; elements are checked one by one so that errors name their row.
 */
export class ArrestBatchDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2000)
  @IsObject({ each: true })
  arrests!: object[];
}

/** Options of a raid (`POST /arrests/batch`, `POST /arrests/import`) and of a correction (`PATCH /arrests/:id`). */
export class RaidOptionsQueryDto {
  /**
   * `true` records rows that repeat an arrest the country already recorded (the same document number
   * or person, the same day) or an earlier row; otherwise they are refused with 409 and listed. For a
   * correction: `true` moves the arrest to a day on which the country already recorded the person.
   */
  @IsOptional()
  @IsIn(['true', 'false'])
  allowDuplicates?: 'true' | 'false';
}

/**
 * The fields of an arrest its arresting country may correct (`PATCH /arrests/:id`): what the arrest row
 * holds that a typo could spoil, each checked as on create. Leave a field out to keep it; the optional
 * ones (`province`, `district`, `coordinates`, `caseId`, `operation`) take `null` to clear them. Not here:
 * the arresting country and the id (what the arrest is), the person (`personId`; the person's names, date
 * of birth, sex and documents are the person's, corrected with `PATCH /persons/:id` by its owner), the
 * custody status (`POST /arrests/:id/custody`) and the records that led to the arrest.
 */
export class CorrectArrestDto {
  @IsOptionalNotNull()
  @Matches(DATE_TIME, { message: 'arrestedAt must be an ISO 8601 date and time with a zone' })
  @IsISO8601({ strict: true }, { message: 'arrestedAt must be a real date and time' })
  @MaxLength(40)
  arrestedAt?: string;

  @IsOptionalNotNull()
  @IsString()
  @Length(1, 500)
  place?: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  province?: string | null;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  district?: string | null;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CoordinatesDto)
  coordinates?: CoordinatesDto | null;

  /** One of the arresting country's own cases. */
  @IsOptional()
  @IsUUID()
  @MaxLength(36)
  caseId?: string | null;

  @IsOptional()
  @IsString()
  @Length(1, 300)
  operation?: string | null;

  @IsOptionalNotNull()
  @IsString()
  @Length(1, 2000)
  grounds?: string;

  @IsOptionalNotNull()
  @IsString()
  @Length(1, 300)
  arrestingAgency?: string;

  /**
   * Any country (ISO 3166-1 alpha-2), as on create. Refused (409) once a repatriation request naming the
   * arrest was sent and is under way: the person's country reads the arrest by it and acts on it.
   */
  @IsOptionalNotNull()
  @IsIsoCountry({ message: (a) => `nationality '${String(a.value)}' is not a known country code` })
  @MaxLength(2)
  nationality?: string;

  /** The arrest's version the caller saw. */
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version!: number;
}

export class ChangeCustodyDto {
  @IsIn(RECORDABLE_CUSTODY_STATUSES)
  status!: CustodyStatus;

  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string;

  /** The arrest's version the caller saw. */
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version!: number;
}

export class ShareArrestDto {
  @Matches(ISO_COUNTRY, { message: 'countryCode must be an ISO 3166-1 alpha-2 code' })
  @MaxLength(2)
  countryCode!: string;

  /** TLP 2.0 code the receiving country holds the arrest and its person under (default `AMBER`). */
  @IsOptional()
  @IsIn(SHAREABLE_HANDLING_CODES)
  handlingCode?: Exclude<HandlingCode, 'RED'>;
}

export class ListArrestsQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID()
  @MaxLength(36)
  raidId?: string;

  @IsOptional()
  @Matches(ISO_COUNTRY, { message: 'nationality must be an ISO 3166-1 alpha-2 code' })
  @MaxLength(2)
  nationality?: string;

  @IsOptional()
  @IsIn(CUSTODY_STATUSES)
  custodyStatus?: CustodyStatus;

  @IsOptional()
  @IsUUID()
  @MaxLength(36)
  caseId?: string;

  @IsOptional()
  @IsUUID()
  @MaxLength(36)
  personId?: string;

  /** Arrests made by this country. */
  @IsOptional()
  @Matches(ISO_COUNTRY, { message: 'arrestingCountry must be an ISO 3166-1 alpha-2 code' })
  @MaxLength(2)
  arrestingCountry?: string;
}

export class ArrestedPersonView {
  id!: string;
  names!: PersonName[];
  birthDate!: string | null;
  sex!: string | null;
  nationalities!: string[];
}

/** A named type: the plugin drops `| null` from inline object types. */
export class CoordinatesView {
  latitude!: number;
  longitude!: number;
}

export class ArrestView {
  id!: string;
  arrestingCountry!: string;
  /** Arrests recorded together in one batch or import share it. */
  raidId!: string | null;
  person!: ArrestedPersonView;
  nationality!: string;
  arrestedAt!: string;
  place!: string;
  province!: string | null;
  district!: string | null;
  coordinates!: CoordinatesView | null;
  /** Shown to the arresting country only. */
  caseId!: string | null;
  operation!: string | null;
  grounds!: string;
  arrestingAgency!: string;
  custodyStatus!: CustodyStatus;
  screeningHitId!: string | null;
  blacklistEntryId!: string | null;
  blacklistRequestId!: string | null;
  /** Countries it was shared with (arresting country only). */
  sharedWith!: string[];
  /**
   * For the arresting country, when it recorded the arrest; for another country, when the arrest
   * reached it (its share, or the sending of a repatriation request for it: `arrestSeenSince`).
   */
  createdAt!: string;
  /** The later of `createdAt` and the arresting country's last change. */
  updatedAt!: string;
  /**
   * For the arresting country, the version to send with a custody change or a correction; null for another country,
   * which may not change the arrest (and is not told how often the arresting country did).
   */
  version!: number | null;
}

export class CustodyHistoryEntryView {
  fromStatus!: CustodyStatus | null;
  toStatus!: CustodyStatus;
  reason!: string | null;
  requestId!: string | null;
  actorUsername!: string | null;
  actorCountry!: string | null;
  at!: string;
}

export class RecordedRowView {
  /** The row number: 1-based position in a batch; the line number as a spreadsheet shows it in a CSV (header = 1). */
  row!: number;
  arrestId!: string;
  personId!: string;
  nationality!: string;
}

export class ArrestBatchResultView {
  raidId!: string;
  recorded!: number;
  /** How many arrests per nationality, e.g. `{ "KR": 64, "CN": 80 }`. */
  byNationality!: Record<string, number>;
  rows!: RecordedRowView[];
}
