import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { E164, IsAsciiNumber } from '../../common/http/validators';
import { PersonFieldsDto } from '../../persons/dto/person.dto';
import { HandlingCode, Priority } from '../../workflow/cross-border-request.entity';
import { RequestStatus } from '../../workflow/request-lifecycle';
import { WorkflowStepDto } from '../../workflow/dto/request-thread.dto';
import { queryBoolean, RequestListQueryDto } from '../../workflow/dto/request-list-query.dto';
import { RequestDraftDto } from '../../workflow/dto/request-draft.dto';

export class BankAccountDto {
  @IsString()
  @Length(1, 200)
  institution!: string;

  @IsString()
  @Length(1, 64)
  @IsAsciiNumber()
  accountNumber!: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  holderName?: string;
}

export class CryptoAddressDto {
  @IsString()
  @Length(1, 32)
  chain!: string;

  @IsString()
  @Length(8, 128)
  @IsAsciiNumber()
  address!: string;
}

/** Identifiers the question is about, or the answer found. */
export class IdentifiersDto {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(E164, { each: true, message: 'each phone must be an E.164 number such as +85512345678' })
  @MaxLength(16, { each: true })
  phones?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => BankAccountDto)
  bankAccounts?: BankAccountDto[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => CryptoAddressDto)
  cryptoAddresses?: CryptoAddressDto[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUrl({ require_protocol: true }, { each: true })
  @MaxLength(2048, { each: true })
  urls?: string[];

  /** Names of scam compounds. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  compounds?: string[];
}

export class CreateInformationRequestDto extends RequestDraftDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 2000, { each: true })
  questions!: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID(undefined, { each: true })
  @MaxLength(36, { each: true })
  personIds?: string[];

  @IsOptional()
  @ValidateNested()
  @Type(() => IdentifiersDto)
  identifiers?: IdentifiersDto;

  /** One of the origin country's own cases. */
  @IsOptional()
  @IsUUID()
  @MaxLength(36)
  caseId?: string;
}

export class FindingsDto {
  @IsString()
  @Length(1, 20000)
  summary!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => IdentifiersDto)
  identifiers?: IdentifiersDto;

  /** Persons found; they are recorded as persons of the answering country and linked to the request. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PersonFieldsDto)
  persons?: PersonFieldsDto[];
}

export class FulfilDto extends WorkflowStepDto {
  @ValidateNested()
  @Type(() => FindingsDto)
  findings!: FindingsDto;
}

export class ListInformationRequestsQueryDto extends RequestListQueryDto {
  @IsOptional()
  @Transform(queryBoolean)
  @IsIn([true, false], { message: 'assignedToMe must be true or false' })
  assignedToMe?: boolean;
}

/** The target's answer; a named type because the plugin drops `| null` from inline object types. */
export class FindingsView {
  summary!: string;
  identifiers!: IdentifiersDto;
  personIds!: string[];
}

export class InformationRequestView {
  id!: string;
  /**
   * Given when the request is sent (`approve`), numbered per origin, target, kind and year
   * (`KR-KH-INF-2026-000042`); null before that.
   */
  reference!: string | null;
  /** The name of the request before it has a reference (`DRAFT-1A2B3C4D`, from its id); kept after. */
  draftId!: string;
  kind!: 'information';
  /** From the caller's point of view. */
  direction!: 'inbound' | 'outbound';
  originCountry!: string;
  targetCountry!: string;
  frameworkId!: string;
  /** Shown to the origin only. */
  caseId!: string | null;
  priority!: Priority;
  handlingCode!: HandlingCode;
  status!: RequestStatus;
  subject!: string;
  questions!: string[];
  identifiers!: IdentifiersDto;
  personIds!: string[];
  findings!: FindingsView | null;
  assignedTo!: string | null;
  sentAt!: string | null;
  dueAt!: string | null;
  overdue!: boolean;
  acceptedAt!: string | null;
  fulfilledAt!: string | null;
  closedAt!: string | null;
  rejectionReason!: string | null;
  /** The workflow steps the caller may take now. */
  allowedActions!: string[];
  createdAt!: string;
  updatedAt!: string;
  version!: number;
}
