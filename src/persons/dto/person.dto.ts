import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
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
  registerDecorator,
  ValidateIf,
  ValidateNested,
  ValidationArguments,
} from 'class-validator';
import { IsAddressOfChain } from '../../common/accounts/account-validators';
import {
  ACCOUNT_NUMBER,
  ACCOUNT_NUMBER_MESSAGE,
  CHAINS,
  type Chain,
} from '../../common/accounts/wallet-address';
import { ACCOUNT_FIELDS, accountNumberOf, type PersonAccountInput } from '../person-accounts';
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
  ACCOUNT_TYPES,
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

/** On `type`: no field of the other account type is given (a bank account with a `chain`). */
function HasOnlyFieldsOfItsType() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'hasOnlyFieldsOfItsType',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (_value: unknown, args: ValidationArguments) => foreignFields(args).length === 0,
        defaultMessage: (args: ValidationArguments) =>
          `${foreignFields(args).join(', ')} does not belong on a ${String(args.value)} account`,
      },
    });
}
function foreignFields(args: ValidationArguments): string[] {
  const o = args.object as Record<string, unknown>;
  // Only a type of the list: `constructor` or `toString` would read a member of Object.prototype
  // (a 500 on `.includes`), where `@IsIn` refuses it by name.
  if (!(ACCOUNT_TYPES as readonly unknown[]).includes(o.type)) return []; // the type itself is refused
  const own = ACCOUNT_FIELDS[o.type as PersonAccountInput['type']];
  const other = Object.values(ACCOUNT_FIELDS).flat();
  return other.filter((f) => !own.includes(f) && o[f] !== undefined);
}

/**
 * A bank account or crypto wallet of the person: the shapes and checks of an asset-freeze target
 * (`FreezeTargetDto`), without what only a freeze has (amounts, grounds, the bank's code).
 */
export class PersonAccountDto implements PersonAccountInput {
  @IsIn(ACCOUNT_TYPES)
  @HasOnlyFieldsOfItsType()
  type!: PersonAccountInput['type'];

  // Bank account
  @ValidateIf((o: PersonAccountDto) => o.type === 'bank_account')
  @IsString()
  @Length(1, 200)
  institutionName?: string;

  @ValidateIf((o: PersonAccountDto) => o.type === 'bank_account')
  @IsString()
  @Matches(ACCOUNT_NUMBER, { message: ACCOUNT_NUMBER_MESSAGE })
  @MaxLength(64)
  accountNumber?: string;

  /** The name the account is held in, when not the person's. */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  holderName?: string;

  /** A nominee ("borrowed-name", 대포통장) account. */
  @IsOptional()
  @IsBoolean()
  borrowedName?: boolean;

  // Crypto wallet
  @ValidateIf((o: PersonAccountDto) => o.type === 'crypto_wallet')
  @IsIn(CHAINS, { message: `chain must be one of ${CHAINS.join(', ')}` })
  chain?: Chain;

  @ValidateIf((o: PersonAccountDto) => o.type === 'crypto_wallet')
  @IsAddressOfChain()
  @MaxLength(90)
  address?: string;
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

  /** Bank accounts and crypto wallets; each at most once (compared without separators, as freezes compare). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PersonAccountDto)
  @ArrayUnique((a: unknown) => accountNumberOf(a) ?? a, {
    message: 'accounts must not name the same account number or wallet address twice',
  })
  accounts?: PersonAccountDto[];

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

  /** An account number or wallet address, compared as stored (without separators; see `accounts`). */
  @IsOptional()
  @IsString()
  @Length(1, 90)
  account?: string;
}
