import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
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
import { IsPreparableName, MatchesNameScript } from '../../screening/matching/name-validators';
import { PageQueryDto } from '../../common/pagination/page';
import {
  CALENDAR_DATE,
  CALENDAR_DATE_MESSAGE,
  E164,
  HasVisibleText,
  IsAsciiNumber,
  IsIsoCountry,
  IsPartialDate,
  MAX_VERSION,
  MaxNormalisedLength,
} from '../../common/http/validators';
import {
  DOCUMENT_TYPES,
  IdentityDocument,
  NAME_KINDS,
  NAME_SCRIPTS,
  PersonName,
  SEXES,
} from '../person.entity';

/** A name as written by a client: its script may be left for the server to read from the letters. */
export class PersonNameDto implements Omit<PersonName, 'script'> {
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

  /** Detected from `full` when left out; when given, it must agree with the letters. */
  @IsOptional()
  @IsIn(NAME_SCRIPTS)
  @MatchesNameScript()
  script?: PersonName['script'];

  @IsIn(NAME_KINDS)
  kind!: PersonName['kind'];
}

export class IdentityDocumentDto implements IdentityDocument {
  @IsIn(DOCUMENT_TYPES)
  type!: IdentityDocument['type'];

  @IsString()
  @Length(1, 50)
  @IsAsciiNumber()
  number!: string;

  @IsIsoCountry({ message: 'issuingCountry must be an ISO 3166-1 alpha-2 country code' })
  @MaxLength(2)
  issuingCountry!: string;

  @IsOptional()
  @Matches(CALENDAR_DATE, { message: CALENDAR_DATE_MESSAGE })
  @IsDateString({ strict: true })
  @MaxLength(40)
  expires?: string;
}

export class PersonFieldsDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => PersonNameDto)
  names!: PersonNameDto[];

  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
  @IsOptional()
  @IsPartialDate()
  @MaxLength(10)
  birthDate?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  /** Any country of the world (ISO 3166-1 alpha-2), not only the member countries. */
  @IsIsoCountry({ each: true, message: 'each nationality must be an ISO 3166-1 alpha-2 country code' })
  @MaxLength(2, { each: true })
  nationalities?: string[];

  @IsOptional()
  @IsIn(SEXES)
  sex?: (typeof SEXES)[number];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => IdentityDocumentDto)
  documents?: IdentityDocumentDto[];

  /** E.164 numbers such as +85512345678. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(E164, { each: true, message: 'each phone must be an E.164 number such as +85512345678' })
  @MaxLength(16, { each: true })
  phones?: string[];

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string;
}

export class CreatePersonDto extends PersonFieldsDto {}

export class UpdatePersonDto extends PersonFieldsDto {
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version!: number;
}

export class SearchPersonsQueryDto extends PageQueryDto {
  /** Any part of any name, in any script; case and accents are ignored. */
  @IsOptional()
  @IsString()
  @Length(2, 200)
  @MaxNormalisedLength(200)
  name?: string;

  @IsOptional()
  @IsString()
  @Length(1, 50)
  document?: string;

  @IsOptional()
  @Matches(E164, { message: 'phone must be an E.164 number such as +85512345678' })
  @MaxLength(16)
  phone?: string;
}
