import { IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { ISO_COUNTRY } from '../../common/http/validators';
import { IDENTIFIER_KINDS, type IdentifierInput, type IdentifierKind } from '../identifier-normalise';

/** An identifier as asked about: a check item, or the query of a "seen in" lookup. */
export class IdentifierDto implements IdentifierInput {
  @IsIn(IDENTIFIER_KINDS)
  kind!: IdentifierKind;

  /** The phone, account number, wallet address, passport number, compound name or place, web address or @handle. */
  @IsString()
  @Length(1, 300)
  value!: string;

  /** phone: the country a national number is dialled in (`KH` for `012 345 678`). */
  @IsOptional()
  @Matches(ISO_COUNTRY, { message: 'region must be an ISO 3166-1 alpha-2 code' })
  @MaxLength(2)
  region?: string;

  /** bank_account: the bank (shown with the account; accounts are compared by number). */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  bank?: string;

  /** wallet: bitcoin, ethereum, tron, bsc or solana; read from the address when left out. */
  @IsOptional()
  @IsString()
  @Length(1, 32)
  chain?: string;

  /** passport: the issuing country, compared with the number. */
  @IsOptional()
  @Matches(ISO_COUNTRY, { message: 'issuingCountry must be an ISO 3166-1 alpha-2 code' })
  @MaxLength(2)
  issuingCountry?: string;
}

/** An identifier as the desk compares it: normalised (E.164, account number without separators, …). */
export class NormalisedIdentifierView {
  kind!: IdentifierKind;
  value!: string;
  /** The bank, chain or issuing country, when there is one. */
  qualifier!: string | null;
}

/** A record that carries the identifier, among those the caller's country may see. */
export class SeenInRecordView {
  recordType!: 'person' | 'request' | 'asset_freeze_target' | 'arrest';
  recordId!: string;
  /** Where in the record: `phones`, `documents`, `accounts`, `identifiers.phones`, `findings.identifiers.bankAccounts`, `target`, `place`. */
  fields!: string[];
  /** How the caller's country holds it in this record: its own, received (see `handlingCode`), or neither (a record it reads). */
  heldAs!: 'own' | 'received' | null;
  /** For `received`: the code it came under. */
  handlingCode!: string | null;
  /** For a bank account: whether a record flags it as held in a borrowed name. */
  borrowedName!: boolean | null;
}

export class SeenInView {
  identifier!: NormalisedIdentifierView;
  /**
   * At most 200, the most recently indexed first — as the caller reads each record: another country's
   * carries the identifier no earlier than when it reached the caller's country.
   */
  items!: SeenInRecordView[];
}
