import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { E164, ISO_COUNTRY, IsUUID } from '../../common/http/validators';
import { RequestDraftDto } from '../../workflow/dto/request-draft.dto';
import { RequestHeaderView } from '../../workflow/dto/request-header.dto';
import { DRAFT_AGAIN, EditRequestDraftDto, NotEditable } from '../../workflow/dto/request-draft-edit.dto';
import { ApiHideProperty } from '@nestjs/swagger';

export class AccountNumberDto {
  @IsString()
  @Length(1, 64)
  accountNumber!: string;
}

export class WalletAddressDto {
  @IsString()
  @Length(8, 128)
  address!: string;
}

export class ReleasedIdentifiersDto {
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
  @Type(() => AccountNumberDto)
  bankAccounts?: AccountNumberDto[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => WalletAddressDto)
  cryptoAddresses?: WalletAddressDto[];
}

/**
 * "May these persons, which you gave us, go on to `recipientCountry`?": asked of the originator
 * (`targetCountry`, the country that owns them), which accepts (consent recorded) or rejects.
 */
export class CreateReleaseRequestDto extends RequestDraftDto {
  /** The third country the persons would go to. */
  @Matches(ISO_COUNTRY, { message: 'recipientCountry must be an ISO 3166-1 alpha-2 code' })
  @MaxLength(2)
  recipientCountry!: string;

  /** Persons owned by `targetCountry` that your country received from it under GREEN or AMBER. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID(undefined, { each: true })
  @MaxLength(36, { each: true })
  personIds?: string[];

  /** Phones, accounts or wallets `targetCountry` gave your country under GREEN or AMBER. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReleasedIdentifiersDto)
  identifiers?: ReleasedIdentifiersDto;
}

/**
 * The edit of a release request's draft: its subject and priority (`EditRequestDraftDto`). What the
 * consent is asked for is refused by name: each person and number was checked, on the draft's
 * creation, as received from the target country under a code that lets it be asked on, for that
 * recipient.
 */
export class EditReleaseRequestDto extends EditRequestDraftDto {
  @NotEditable(
    `the persons and numbers were checked for that recipient when the draft was made; ${DRAFT_AGAIN}`,
  )
  @ApiHideProperty()
  recipientCountry?: never;

  @NotEditable(
    `each person was checked as received from the target country under GREEN or AMBER when the draft was made; ${DRAFT_AGAIN}`,
  )
  @ApiHideProperty()
  personIds?: never;

  @NotEditable(
    `each number was checked as received from the target country under GREEN or AMBER when the draft was made; ${DRAFT_AGAIN}`,
  )
  @ApiHideProperty()
  identifiers?: never;
}

/** The shared request header (`RequestHeaderView`) and what a release request adds. */
export class ReleaseRequestView extends RequestHeaderView {
  declare kind: 'release';
  recipientCountry!: string;
  personIds!: string[];
  /** Identifiers asked about, as their normalised keys (`phone:855…`, `number:…`, `wallet:…`, `url:…`, `compound:…`). */
  identifiers!: string[];
  /** True once the originator accepted: the persons may go to `recipientCountry`. */
  granted!: boolean;
}
