import { DATE_TIME, IsOptionalNotNull, IsUUID } from '../../common/http/validators';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';
import { WorkflowStepDto } from '../../workflow/dto/request-thread.dto';
import { FREEZE_OUTCOMES, FreezeOutcome } from '../freeze-ledger';
import { amountProblem, CURRENCIES } from '../money';
import { ACCOUNT_NUMBER, ACCOUNT_NUMBER_MESSAGE, Chain, CHAINS } from '../../common/accounts/wallet-address';
import { IsAddressOfChain } from '../../common/accounts/account-validators';
import { RequestHeaderView } from '../../workflow/dto/request-header.dto';
import { RequestDraftDto } from '../../workflow/dto/request-draft.dto';
import { EditRequestDraftDto } from '../../workflow/dto/request-draft-edit.dto';

/** An amount string that fits its sibling `currency` (format, minor units, optionally above zero). */
function IsAmountOfCurrency(options: { positive?: boolean } = {}, validation?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isAmountOfCurrency',
      target: target.constructor,
      propertyName,
      options: validation,
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          amountProblem(value, (args.object as { currency?: unknown }).currency, options) === null,
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} ${amountProblem(args.value, (args.object as { currency?: unknown }).currency, options)}`,
      },
    });
}

/** `{ "amount": "1500000", "currency": "KRW" }`: a decimal string, never a number. */
export class MoneyDto {
  @IsAmountOfCurrency()
  amount!: string;

  @IsIn(CURRENCIES, { message: `currency must be one of ${CURRENCIES.join(', ')}` })
  currency!: string;
}

/** A strictly positive amount. */
export class PositiveMoneyDto {
  @IsAmountOfCurrency({ positive: true })
  @MaxLength(39)
  amount!: string;

  @IsIn(CURRENCIES, { message: `currency must be one of ${CURRENCIES.join(', ')}` })
  @MaxLength(4) // the longest of CURRENCIES (USDT, USDC)
  currency!: string;
}

export class VictimLossDto {
  /** A victim known as a person of the origin country (or visible to it). */
  @IsUUID()
  @MaxLength(36)
  personId!: string;

  @IsObject()
  @ValidateNested()
  @Type(() => PositiveMoneyDto)
  loss!: PositiveMoneyDto;
}

export class GroundsDto {
  @IsString()
  @Length(1, 5000)
  summary!: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => VictimLossDto)
  victimLosses?: VictimLossDto[];
}

export class FreezeTargetDto {
  @IsIn(['bank_account', 'crypto_wallet'])
  type!: 'bank_account' | 'crypto_wallet';

  // Bank account
  @ValidateIf((o: FreezeTargetDto) => o.type === 'bank_account')
  @IsString()
  @Length(1, 200)
  institutionName?: string;

  /** The bank's code (SWIFT/BIC or the national bank code); part of the duplicate key. */
  @ValidateIf((o: FreezeTargetDto) => o.type === 'bank_account')
  @IsString()
  @Matches(/^[A-Za-z0-9]{2,20}$/, { message: 'institutionCode must be 2–20 letters or digits' })
  @MaxLength(20)
  institutionCode?: string;

  @ValidateIf((o: FreezeTargetDto) => o.type === 'bank_account')
  @IsString()
  @Matches(ACCOUNT_NUMBER, { message: ACCOUNT_NUMBER_MESSAGE })
  @MaxLength(64)
  accountNumber?: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  holderName?: string;

  /** A nominee ("borrowed-name", 대포통장) account. */
  @ValidateIf((o: FreezeTargetDto) => o.type === 'bank_account')
  @IsBoolean()
  borrowedName?: boolean;

  /** The person behind the account or wallet, when known. */
  @IsOptional()
  @IsUUID()
  @MaxLength(36)
  personId?: string;

  // Crypto wallet
  @ValidateIf((o: FreezeTargetDto) => o.type === 'crypto_wallet')
  @IsIn(CHAINS, { message: `chain must be one of ${CHAINS.join(', ')}` })
  chain?: Chain;

  @ValidateIf((o: FreezeTargetDto) => o.type === 'crypto_wallet')
  @IsAddressOfChain()
  @MaxLength(90)
  address?: string;

  /** The exchange holding a custodial wallet. */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  exchangeName?: string;

  @IsObject()
  @ValidateNested()
  @Type(() => PositiveMoneyDto)
  amountSought!: PositiveMoneyDto;

  @IsObject()
  @ValidateNested()
  @Type(() => GroundsDto)
  grounds!: GroundsDto;
}

export class CreateAssetFreezeRequestDto extends RequestDraftDto {
  /** One of the origin country's own cases: the grounds of the whole request. */
  @IsOptional()
  @IsUUID()
  @MaxLength(36)
  caseId?: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => FreezeTargetDto)
  targets!: FreezeTargetDto[];
}

/**
 * The edit of an asset freeze's draft: the shared fields (`EditRequestDraftDto`), its case and its
 * targets. `targets` replaces the whole list, given as on a create and checked as on a create; a
 * target whose account or wallet stays keeps its id and files. A field left out stays as it is.
 */
export class EditAssetFreezeRequestDto extends EditRequestDraftDto {
  /** One of the origin country's own cases (a draft is moved to another; it is not taken off its case). */
  @IsOptionalNotNull()
  @IsUUID()
  @MaxLength(36)
  caseId?: string;

  @IsOptionalNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => FreezeTargetDto)
  targets?: FreezeTargetDto[];
}

export class FreezeStepDto extends WorkflowStepDto {
  @IsIn(FREEZE_OUTCOMES)
  outcome!: FreezeOutcome;

  /** Required (above zero) when the outcome is `frozen`; absent otherwise. */
  @ValidateIf((o: FreezeStepDto) => o.outcome === 'frozen' || o.amount !== undefined)
  @IsDefined({ message: 'amount is required when the outcome is frozen' })
  @IsObject()
  @ValidateNested()
  @Type(() => PositiveMoneyDto)
  amount?: PositiveMoneyDto;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  institutionReference?: string;

  /** When the institution froze the funds (default: now). */
  @IsOptional()
  @Matches(DATE_TIME, { message: 'frozenAt must be an ISO 8601 date and time with a zone' })
  @IsISO8601({ strict: true })
  @MaxLength(40)
  frozenAt?: string;
}

export class RecoverStepDto extends WorkflowStepDto {
  @IsObject()
  @ValidateNested()
  @Type(() => PositiveMoneyDto)
  amount!: PositiveMoneyDto;

  @IsIn(['seized', 'forfeited'])
  disposition!: 'seized' | 'forfeited';

  @IsOptional()
  @IsString()
  @Length(1, 500)
  decision?: string;
}

export class RecipientDto {
  @IsString()
  @Length(1, 200)
  name!: string;

  @IsOptional()
  @IsUUID()
  @MaxLength(36)
  personId?: string;
}

export class ReturnStepDto extends WorkflowStepDto {
  @IsObject()
  @ValidateNested()
  @Type(() => PositiveMoneyDto)
  amount!: PositiveMoneyDto;

  @IsObject()
  @ValidateNested()
  @Type(() => RecipientDto)
  recipient!: RecipientDto;

  /** The decision ordering the return (court order, prosecutor's decision…). */
  @IsString()
  @Length(1, 500)
  decision!: string;
}

export class ReleaseStepDto extends WorkflowStepDto {
  @IsObject()
  @ValidateNested()
  @Type(() => PositiveMoneyDto)
  amount!: PositiveMoneyDto;

  @IsString()
  @Length(1, 2000)
  reason!: string;
}

export class CloseOutStepDto extends WorkflowStepDto {
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

export class MoneyView {
  amount!: string;
  currency!: string;
}

export class VictimLossView {
  personId!: string;
  loss!: MoneyView;
}

export class GroundsView {
  summary!: string;
  victimLosses!: VictimLossView[];
}

export class FreezeStepView {
  step!: string;
  outcome!: string | null;
  amount!: MoneyView | null;
  details!: Record<string, unknown>;
  actorUsername!: string | null;
  actorCountry!: string | null;
  at!: string;
}

export class FreezeTargetView {
  id!: string;
  type!: 'bank_account' | 'crypto_wallet';
  institutionName!: string | null;
  institutionCode!: string | null;
  accountNumber!: string | null;
  holderName!: string | null;
  borrowedName!: boolean | null;
  personId!: string | null;
  chain!: string | null;
  address!: string | null;
  exchangeName!: string | null;
  amountSought!: MoneyView;
  grounds!: GroundsView;
  outcome!: FreezeOutcome | null;
  frozen!: string;
  recovered!: string;
  returned!: string;
  released!: string;
  stillFrozen!: string;
  institutionReference!: string | null;
  frozenAt!: string | null;
  closedOutAt!: string | null;
  closeOutReason!: string | null;
  /** Nothing more is expected on this target (see README, "what final means"). */
  final!: boolean;
  /** Execution steps the caller may take on this target now. */
  allowedSteps!: string[];
  steps!: FreezeStepView[];
}

export class CurrencyTotalsView {
  currency!: string;
  sought!: string;
  frozen!: string;
  recovered!: string;
  returned!: string;
  released!: string;
  stillFrozen!: string;
}

/** The shared request header (`RequestHeaderView`) and what an asset freeze adds. */
export class AssetFreezeRequestView extends RequestHeaderView {
  declare kind: 'asset_freeze';
  targets!: FreezeTargetView[];
  /** Per currency, never summed across currencies. */
  totals!: CurrencyTotalsView[];
  allTargetsFinal!: boolean;
}
