import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsPreparableName } from '../matching/name-validators';
import {
  IsQueryTime,
  HasVisibleText,
  IsIsoCountry,
  IsPartialDate,
  MaxNormalisedLength,
  queryBoolean,
} from '../../common/http/validators';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { NAME_SCRIPTS } from '../../common/text/name-script';

export class ScreeningNameDto {
  /** The name as read, in any script. */
  @IsString()
  @HasVisibleText()
  @Length(1, 200)
  @MaxNormalisedLength(200)
  @IsPreparableName()
  full!: string;

  @IsOptional()
  @IsString()
  @Length(1, 100)
  @MaxNormalisedLength(100)
  @IsPreparableName()
  given?: string;

  @IsOptional()
  @IsString()
  @Length(1, 100)
  @MaxNormalisedLength(100)
  @IsPreparableName()
  family?: string;

  @IsOptional()
  @IsIn(NAME_SCRIPTS)
  script?: (typeof NAME_SCRIPTS)[number];
}

export class ScreeningDocumentDto {
  @IsString()
  @Length(1, 50)
  number!: string;

  @IsOptional()
  @IsIsoCountry({ message: 'issuingCountry must be an ISO 3166-1 alpha-2 country code' })
  @MaxLength(2)
  issuingCountry?: string;
}

export class RunScreeningDto {
  /** One or more names of the traveller. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ScreeningNameDto)
  names!: ScreeningNameDto[];

  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; not in the future. */
  @IsOptional()
  @IsPartialDate()
  @MaxLength(10)
  birthDate?: string;

  @IsOptional()
  // Any country of the world, checked against ISO 3166-1 (`XX` is no nationality).
  @IsIsoCountry({ message: 'nationality must be an ISO 3166-1 alpha-2 country code' })
  @MaxLength(2)
  nationality?: string;

  @IsOptional()
  @IsIn(['male', 'female', 'unknown'])
  sex?: 'male' | 'female' | 'unknown';

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ScreeningDocumentDto)
  document?: ScreeningDocumentDto;

  /** The checkpoint: a code or free text. */
  @IsString()
  @HasVisibleText()
  @Length(1, 200)
  checkpoint!: string;
}

/** The filters of `GET /screenings`: the caller's own country's screenings only, whatever they say. */
export class ListScreeningsQueryDto extends PageQueryDto {
  /**
   * `true`: only screenings with a candidate (alert or review band) nobody has decided yet; `false`:
   * only those without one (every candidate decided, or none found).
   */
  @IsOptional()
  @Transform(queryBoolean)
  @IsIn([true, false], { message: 'undecided must be true or false' })
  undecided?: boolean;

  /** The checkpoint, exactly as the screening gave it. */
  @IsOptional()
  @IsString()
  @HasVisibleText()
  @Length(1, 200)
  checkpoint?: string;

  /** Screenings run at or after this time (ISO 8601). */
  @IsQueryTime()
  from?: string;

  /** Screenings run before this time (ISO 8601, exclusive). */
  @IsQueryTime()
  to?: string;
}

export class CandidateDecisionDto {
  @IsIn(['confirmed', 'cleared'])
  decision!: 'confirmed' | 'cleared';

  /** Required when clearing: why this is not the same person. */
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string;
}

export class CandidateNameView {
  full!: string;
  script!: string;
  kind!: string;
}

export class MatchedNamesView {
  /** The query name as typed. */
  query!: string;
  /** The entry's name that matched best. */
  entry!: string;
}

export class CandidateEntryView {
  entryId!: string;
  names!: CandidateNameView[];
  birthDate!: string | null;
  nationalities!: string[];
  groundsSummary!: string;
  proposingCountry!: string;
}

export class ScreeningCandidateView {
  id!: string;
  /** Calibrated: about the share of true hits among candidates scored so on the labelled set. */
  score!: number;
  /** `alert` at or above SCREENING_THRESHOLD; `review` in the band below it (SCREENING_REVIEW_THRESHOLD up). */
  band!: 'alert' | 'review';
  matchedNames!: MatchedNamesView | null;
  reasons!: string[];
  /** The same entry was cleared before for this traveller's document number. */
  previouslyCleared!: boolean;
  foundBy!: 'query' | 'rescreen';
  decision!: 'confirmed' | 'cleared' | null;
  entry!: CandidateEntryView;
}

export class ScreeningView {
  id!: string;
  checkpoint!: string;
  countryCode!: string;
  createdAt!: string;
  candidates!: ScreeningCandidateView[];
}

/** A screening as the list shows it: where and when, and how many of its candidates await a decision. */
export class ScreeningSummaryView {
  id!: string;
  checkpoint!: string;
  countryCode!: string;
  createdAt!: string;
  /** Candidates kept (found by the query or by a later re-screening). */
  candidates!: number;
  /** Candidates nobody has confirmed or cleared yet, alert and review band. */
  undecided!: number;
  /** Of those, the ones in the alert band (at or above SCREENING_THRESHOLD). */
  undecidedAlerts!: number;
}

export class AlertView {
  id!: string;
  kind!: 'confirmed_hit' | 'rescreen_match';
  screeningId!: string;
  candidateId!: string;
  entryId!: string;
  checkpoint!: string;
  banningCountry!: string;
  proposingCountry!: string;
  score!: number;
  createdAt!: string;
}
