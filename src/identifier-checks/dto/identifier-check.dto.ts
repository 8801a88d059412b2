import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ISO_COUNTRY } from '../../common/http/validators';
import { PageQueryDto } from '../../common/pagination/page';
import { HANDLING_CODES, HandlingCode } from '../../sharing/handling-code';
import { PRIORITIES, Priority } from '../../workflow/cross-border-request.entity';
import { IdentifierDto, NormalisedIdentifierView } from '../../identifiers/dto/identifier.dto';

/** The most identifiers one check may carry. */
export const MAX_CHECK_IDENTIFIERS = 1000;

export class RunIdentifierCheckDto {
  /** Countries to ask: each a current co-member of a framework in force with the caller's country. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(ISO_COUNTRY, { each: true, message: 'each partner must be an ISO 3166-1 alpha-2 code' })
  @MaxLength(2, { each: true })
  partners!: string[];

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000) // MAX_CHECK_IDENTIFIERS, written out: the OpenAPI plugin reads literals only
  @ValidateNested({ each: true })
  @Type(() => IdentifierDto)
  identifiers!: IdentifierDto[];
}

export const PARTNER_ANSWERS = ['hit', 'no_hit', 'not_answered'] as const;
export type PartnerAnswer = (typeof PARTNER_ANSWERS)[number];

export class PartnerResultView {
  country!: string;
  /** `not_answered`: that partner does not answer checks automatically under any framework joining you. */
  answer!: PartnerAnswer;
}

export class CheckResultView {
  /** The identifier's index in the request's `identifiers`. */
  position!: number;
  identifier!: NormalisedIdentifierView;
  answers!: PartnerResultView[];
}

export class CheckPartnerView {
  country!: string;
  /** Whether the partner answered automatically; when not, its answers are `not_answered`, not `no_hit`. */
  answered!: boolean;
  /** The framework the answer was given under. */
  frameworkId!: string | null;
  hits!: number;
}

/** A past check: its own country's only. A hit is followed up with `POST /identifier-checks/{id}/follow-ups`. */
export class IdentifierCheckView {
  id!: string;
  askedAt!: string;
  askedBy!: string;
  identifierCount!: number;
  partners!: CheckPartnerView[];
  results!: CheckResultView[];
}

export class IdentifierCheckSummaryView {
  id!: string;
  askedAt!: string;
  askedBy!: string;
  identifierCount!: number;
  partners!: CheckPartnerView[];
}

export class ListIdentifierChecksQueryDto extends PageQueryDto {}

/** Asks the partner that hit, in a draft information request prefilled with the identifier. */
export class FollowUpDto {
  @Matches(ISO_COUNTRY, { message: 'partnerCountry must be an ISO 3166-1 alpha-2 code' })
  @MaxLength(2)
  partnerCountry!: string;

  /** The identifier's `position` in the check. */
  @IsInt()
  @Min(0)
  @Max(999)
  position!: number;

  /** Default `routine`. */
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;

  /** Default `AMBER`. */
  @IsOptional()
  @IsIn(HANDLING_CODES)
  handlingCode?: HandlingCode;
}

export class AutoAnswerSettingDto {
  /** Whether partners' checks are answered automatically under this framework. */
  @IsBoolean()
  autoAnswer!: boolean;
}

export class AutoAnswerSettingView {
  frameworkId!: string;
  frameworkName!: string;
  autoAnswer!: boolean;
}
