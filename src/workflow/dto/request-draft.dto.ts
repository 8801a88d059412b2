import { IsIn, IsString, Length, Matches, MaxLength } from 'class-validator';
import { HasVisibleText, ISO_COUNTRY, IsUUID } from '../../common/http/validators';
import { HANDLING_CODES, HandlingCode } from '../../sharing/handling-code';
import { PRIORITIES, Priority } from '../cross-border-request.entity';

/** What every cross-border request states when it is drafted; each kind adds its own fields. */
export class RequestDraftDto {
  /** A cooperation framework both countries belong to. */
  @IsUUID()
  @MaxLength(36)
  frameworkId!: string;

  /** The other country of the request. */
  @Matches(ISO_COUNTRY, { message: 'targetCountry must be an ISO 3166-1 alpha-2 code' })
  @MaxLength(2)
  targetCountry!: string;

  /** Sets the due time from `sent` (defaults: immediate 4 h — 24 h for asset freezes —, urgent 48 h, routine 14 days). */
  @IsIn(PRIORITIES)
  priority!: Priority;

  /** TLP 2.0. */
  @IsIn(HANDLING_CODES)
  handlingCode!: HandlingCode;

  @IsString()
  @HasVisibleText()
  @Length(1, 500)
  subject!: string;
}
