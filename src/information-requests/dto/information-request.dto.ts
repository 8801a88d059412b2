import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { E164, IsAsciiNumber, IsOptionalNotNull, IsUUID } from '../../common/http/validators';
import { PersonFieldsDto } from '../../persons/dto/person.dto';
import { WorkflowStepDto } from '../../workflow/dto/request-thread.dto';
import { RequestHeaderView } from '../../workflow/dto/request-header.dto';
import { AlsoTo, RecipientsVisible } from '../../workflow/dto/dispatch.dto';
import { RequestDraftDto } from '../../workflow/dto/request-draft.dto';
import { EditRequestDraftDto } from '../../workflow/dto/request-draft-edit.dto';

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
  @AlsoTo()
  alsoTo?: string[];

  @RecipientsVisible()
  recipientsVisible?: boolean;

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
  @IsObject()
  @ValidateNested()
  @Type(() => IdentifiersDto)
  identifiers?: IdentifiersDto;

  /** One of the origin country's own cases. */
  @IsOptional()
  @IsUUID()
  @MaxLength(36)
  caseId?: string;
}

/**
 * The edit of an information request's draft: the shared fields (`EditRequestDraftDto`) and its own. A
 * list given replaces the draft's (`personIds: []` takes every person off it; `identifiers: {}` every
 * identifier); a field left out stays as it is.
 */
export class EditInformationRequestDto extends EditRequestDraftDto {
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 2000, { each: true })
  questions?: string[];

  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID(undefined, { each: true })
  @MaxLength(36, { each: true })
  personIds?: string[];

  @IsOptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => IdentifiersDto)
  identifiers?: IdentifiersDto;

  /** One of the origin country's own cases (a draft is moved to another; it is not taken off its case). */
  @IsOptionalNotNull()
  @IsUUID()
  @MaxLength(36)
  caseId?: string;
}

export class FindingsDto {
  @IsString()
  @Length(1, 20000)
  summary!: string;

  @IsOptional()
  @IsObject()
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
  @IsObject()
  @ValidateNested()
  @Type(() => FindingsDto)
  findings!: FindingsDto;
}

/** The target's answer; a named type because the plugin drops `| null` from inline object types. */
export class FindingsView {
  summary!: string;
  identifiers!: IdentifiersDto;
  personIds!: string[];
}

/** The shared request header (`RequestHeaderView`) and what an information request adds. */
export class InformationRequestView extends RequestHeaderView {
  declare kind: 'information';
  questions!: string[];
  identifiers!: IdentifiersDto;
  personIds!: string[];
  findings!: FindingsView | null;
}
