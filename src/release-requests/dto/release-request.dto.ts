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
import { E164, IsOptionalNotNull, ISO_COUNTRY, IsUUID } from '../../common/http/validators';
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
 * The edit of a release request's draft: its subject and priority (`EditRequestDraftDto`), and what the
 * consent is asked for. `personIds` and `identifiers` each replace the whole of theirs, checked as on a
 * create (each person and number received from the target country under GREEN or AMBER, askable for
 * the recipient), and at least one of either must be left. The recipient is refused by name.
 */
export class EditReleaseRequestDto extends EditRequestDraftDto {
  @NotEditable(
    `the request asks consent to pass data on to that country, and its persons were checked as askable for it; ${DRAFT_AGAIN}`,
  )
  @ApiHideProperty()
  recipientCountry?: never;

  /** The persons consent is asked for, as on a create (`[]` for none, when identifiers are left). */
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID(undefined, { each: true })
  @MaxLength(36, { each: true })
  personIds?: string[];

  /** The phones, accounts and wallets consent is asked for, as on a create (the whole set). */
  @IsOptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => ReleasedIdentifiersDto)
  identifiers?: ReleasedIdentifiersDto;
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
