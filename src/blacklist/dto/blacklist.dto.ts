import { AlsoTo, RecipientsVisible } from '../../workflow/dto/dispatch.dto';
import { RequestHeaderView } from '../../workflow/dto/request-header.dto';
import { DRAFT_AGAIN, EditRequestDraftDto, NotEditable } from '../../workflow/dto/request-draft-edit.dto';
import { ApiHideProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsIn,
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
  ISO_COUNTRY,
  IsOptionalNotNull,
  IsUUID,
  MAX_VERSION,
  queryBoolean,
} from '../../common/http/validators';
import { PageQueryDto } from '../../common/pagination/page';
import { PersonFieldsDto } from '../../persons/dto/person.dto';
import type { IdentityDocument, PersonName } from '../../persons/person.entity';
import { PRIORITIES, Priority } from '../../workflow/cross-border-request.entity';
import { HANDLING_CODES, HandlingCode } from '../../sharing/handling-code';
import { AMENDMENT_STATUSES, AmendmentStatus } from '../blacklist-entry-amendment.entity';
import { ENTRY_STATUSES, EntryStatus } from '../blacklist-entry.entity';

/** The handling codes a blacklist proposal may carry (see `ProposalHeaderDto.handlingCode`). */
const PROPOSAL_HANDLING_CODES = HANDLING_CODES.filter((code) => code !== 'RED');

export class ProposedEntryDto {
  /** A new person, recorded as a person of the proposing country… */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PersonFieldsDto)
  person?: PersonFieldsDto;

  /** …or one already on record (exactly one of `person` and `personId`). */
  @IsOptional()
  @IsUUID()
  @MaxLength(36)
  personId?: string;

  @IsString()
  @Length(1, 5000)
  grounds!: string;

  /** At most 300 characters: what a checkpoint screener is shown. */
  @IsString()
  @Length(1, 300)
  groundsSummary!: string;

  /** The proposing country's case the entry comes from. */
  @IsOptional()
  @IsUUID()
  @MaxLength(36)
  caseId?: string;
}

/** What a proposal states besides its entries: one list, or a single entry, goes the same way. */
export class ProposalHeaderDto {
  @IsUUID()
  @MaxLength(36)
  frameworkId!: string;

  /** The country asked to ban entry. */
  @Matches(ISO_COUNTRY, { message: 'banningCountry must be an ISO 3166-1 alpha-2 code' })
  @MaxLength(2)
  banningCountry!: string;

  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;

  /**
   * Not `RED` (named recipients only): an active entry is read at every checkpoint of the banning
   * country, by every screener, so a ban cannot be kept to the liaisons it was sent to.
   */
  @IsOptional()
  @IsIn(PROPOSAL_HANDLING_CODES, {
    message: `handlingCode must be one of ${PROPOSAL_HANDLING_CODES.join(', ')}: a ban is read at every checkpoint, so a blacklist proposal cannot be RED`,
  })
  handlingCode?: Exclude<HandlingCode, 'RED'>;

  @IsOptional()
  @IsString()
  @Length(1, 500)
  subject?: string;

  @AlsoTo()
  alsoTo?: string[];

  @RecipientsVisible()
  recipientsVisible?: boolean;
}

export class ProposeEntriesDto extends ProposalHeaderDto {
  /** 1 to 1,000 entries, recorded all or nothing. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => ProposedEntryDto)
  entries!: ProposedEntryDto[];
}

/**
 * The edit of a proposal's draft (`PATCH /blacklist-proposals/:id`): its subject and priority
 * (`EditRequestDraftDto`), and its entries. `entries` replaces the whole list, given and checked as on
 * a create: an entry whose person stays (by `personId`, the person a view of the entry shows) keeps its
 * id and files, one taken off is deleted (409 `blacklist-entry-has-files` while it has files), a row
 * naming a new person in full puts that person on record as a create does. A field left out stays as
 * it is.
 */
export class EditBlacklistProposalDto extends EditRequestDraftDto {
  @NotEditable(`the banning country is the country the proposal goes to; ${DRAFT_AGAIN}`)
  @ApiHideProperty()
  banningCountry?: never;

  /** The entries the draft should list, 1 to 1,000, as on a create. */
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => ProposedEntryDto)
  entries?: ProposedEntryDto[];

  @NotEditable('an edit replaces the whole list: give it as entries (of one entry, for a single one)')
  @ApiHideProperty()
  entry?: never;
}

export class ActivateEntryDto {
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version!: number;

  /** The law or decision the ban rests on. */
  @IsString()
  @Length(1, 1000)
  legalBasis!: string;

  /** The ban ends after this day. */
  @Matches(CALENDAR_DATE, { message: CALENDAR_DATE_MESSAGE })
  @IsDateString({ strict: true })
  @MaxLength(40)
  expiresOn!: string;
}

export class EntryVersionDto {
  @IsUUID()
  @MaxLength(36)
  id!: string;

  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version!: number;
}

/** Many entries activated at once on one legal basis and expiry: all of them, or none. */
export class ActivateEntriesDto {
  /** 1 to 500 entries, each with the version it was read at; an id at most once. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => EntryVersionDto)
  entries!: EntryVersionDto[];

  /** The law or decision the bans rest on. */
  @IsString()
  @Length(1, 1000)
  legalBasis!: string;

  /** The bans end after this day. */
  @Matches(CALENDAR_DATE, { message: CALENDAR_DATE_MESSAGE })
  @IsDateString({ strict: true })
  @MaxLength(40)
  expiresOn!: string;
}

export class ActivatedEntriesView {
  /** The activated entries, in the order asked. */
  items!: BlacklistEntryView[];
}

export class DecideEntryDto {
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version!: number;

  @IsString()
  @Length(1, 2000)
  reason!: string;
}

/**
 * A later expiry for an active ban that has not expired: the banning country's liaison keeps the person
 * banned past the date set at activation, with the reason, without lifting and proposing again.
 */
export class ExtendEntryDto {
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version!: number;

  /** The ban now ends after this day: later than the current expiry, and in the future. */
  @Matches(CALENDAR_DATE, { message: CALENDAR_DATE_MESSAGE })
  @IsDateString({ strict: true })
  @MaxLength(40)
  expiresOn!: string;

  /** Why the ban is kept longer (a renewed warrant, a court order); read by both countries. */
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

/** The statuses a list filters on: as the entries show them, so an active entry past `expiresOn` is `expired`. */
export const LISTED_ENTRY_STATUSES = [...ENTRY_STATUSES, 'expired'] as const;

export class ListEntriesQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(LISTED_ENTRY_STATUSES)
  status?: (typeof LISTED_ENTRY_STATUSES)[number];

  @IsOptional()
  @IsUUID()
  @MaxLength(36)
  proposalId?: string;

  /** `proposed`: entries the caller's country proposed; `banning`: entries it is asked to enforce. */
  @IsOptional()
  @IsIn(['proposed', 'banning'])
  side?: 'proposed' | 'banning';

  /**
   * `true`: entries with an amendment of their identity waiting for the banning country's decision
   * (`pendingAmendments` above 0); `false`: entries with none. With `side=banning`, the banning
   * liaison's work; with `side=proposed`, what the proposing country waits on.
   */
  @IsOptional()
  @Transform(queryBoolean)
  @IsIn([true, false], { message: 'pendingAmendments must be true or false' })
  pendingAmendments?: boolean;
}

export class BlacklistEntryView {
  id!: string;
  proposalId!: string;
  /** The proposal's reference, or its draft id while it has not been sent. */
  proposalReference!: string;
  personId!: string;
  names!: PersonName[];
  birthDate!: string | null;
  nationalities!: string[];
  proposingCountry!: string;
  banningCountry!: string;
  caseId!: string | null;
  grounds!: string;
  groundsSummary!: string;
  /** `expired` when an active entry's expiry has passed: never screened again. */
  status!: EntryStatus | 'expired';
  legalBasis!: string | null;
  expiresOn!: string | null;
  decisionReason!: string | null;
  decidedAt!: string | null;
  /** When the ban was last extended (`extend`); null if never. Earlier extensions are in the audit trail. */
  extendedAt!: string | null;
  /** The reason given for the last extension. */
  extensionReason!: string | null;
  /** The expiry the last extension replaced. */
  extendedFrom!: string | null;
  allowedActions!: string[];
  /** Changes of the person's identity proposed since activation, awaiting the banning country (`/amendments`). */
  pendingAmendments!: number;
  createdAt!: string;
  version!: number;
}

/** The shared request header (`RequestHeaderView`) and what a blacklist proposal adds. */
export class BlacklistProposalView extends RequestHeaderView {
  declare kind: 'blacklist';
  /** Entries by decision so far; derived from the entries. */
  entryCounts!: { proposed: number; active: number; rejected: number; lifted: number };
  entries!: BlacklistEntryView[];
}

export class ProposeOneEntryDto extends ProposalHeaderDto {
  @IsObject()
  @ValidateNested()
  @Type(() => ProposedEntryDto)
  entry!: ProposedEntryDto;
}

/** Accepting or rejecting an amendment: its `version` (optional; a stale one answers 409) and a comment. */
export class DecideAmendmentDto {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version?: number;

  @IsOptional()
  @IsString()
  @Length(1, 2000)
  comment?: string;
}

export class ListAmendmentsQueryDto {
  @IsOptional()
  @IsIn(AMENDMENT_STATUSES)
  status?: AmendmentStatus;
}

/**
 * A proposed change of an active entry's identity: what the entry would screen against once accepted,
 * and which fields differ from what it screens against now.
 */
export class BlacklistEntryAmendmentView {
  id!: string;
  entryId!: string;
  proposingCountry!: string;
  banningCountry!: string;
  status!: AmendmentStatus;
  names!: PersonName[];
  birthDate!: string | null;
  nationalities!: string[];
  sex!: string | null;
  documents!: IdentityDocument[];
  /** The fields that differ from the entry's identity now (for a pending amendment). */
  changedFields!: string[];
  proposedAt!: string;
  decidedAt!: string | null;
  decisionComment!: string | null;
  /** `accept`, `reject` for the banning country's liaison while pending. */
  allowedActions!: string[];
  version!: number;
}
