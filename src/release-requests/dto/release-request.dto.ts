import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { E164, ISO_COUNTRY } from '../../common/http/validators';
import type { HandlingCode, Priority } from '../../workflow/cross-border-request.entity';
import { RequestDraftDto } from '../../workflow/dto/request-draft.dto';
import { RequestStatusQueryDto } from '../../workflow/dto/request-list-query.dto';
import type { RequestStatus } from '../../workflow/request-lifecycle';

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
  @ValidateNested()
  @Type(() => ReleasedIdentifiersDto)
  identifiers?: ReleasedIdentifiersDto;
}

export class ListReleaseRequestsQueryDto extends RequestStatusQueryDto {}

export class ReleaseRequestView {
  id!: string;
  /**
   * Given when the request is sent (`approve`), numbered per origin, target, kind and year
   * (`KR-KH-INF-2026-000042`); null before that.
   */
  reference!: string | null;
  /** The name of the request before it has a reference (`DRAFT-1A2B3C4D`, from its id); kept after. */
  draftId!: string;
  kind!: 'release';
  /** From the caller's point of view. */
  direction!: 'inbound' | 'outbound';
  originCountry!: string;
  targetCountry!: string;
  recipientCountry!: string;
  frameworkId!: string;
  priority!: Priority;
  handlingCode!: HandlingCode;
  status!: RequestStatus;
  subject!: string;
  personIds!: string[];
  /** Identifiers asked about, as their normalised keys (`phone:855…`, `number:…`, `wallet:…`, `url:…`, `compound:…`). */
  identifiers!: string[];
  /** True once the originator accepted: the persons may go to `recipientCountry`. */
  granted!: boolean;
  sentAt!: string | null;
  dueAt!: string | null;
  acceptedAt!: string | null;
  allowedActions!: string[];
  createdAt!: string;
  updatedAt!: string;
  version!: number;
}
