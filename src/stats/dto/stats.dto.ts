import { IsDateString, IsOptional, Matches, MaxLength } from 'class-validator';
import { DAY_OR_DATE_TIME, DAY_OR_DATE_TIME_MESSAGE } from '../../common/http/validators';

export class StatsQueryDto {
  /** Start of the period (inclusive); defaults to one year ago. */
  @IsOptional()
  @IsDateString({ strict: true })
  @Matches(DAY_OR_DATE_TIME, { message: DAY_OR_DATE_TIME_MESSAGE })
  @MaxLength(40)
  from?: string;

  /** End of the period: a date and time is exclusive; a date alone (`2026-12-31`) includes that whole day. Defaults to now. */
  @IsOptional()
  @IsDateString({ strict: true })
  @Matches(DAY_OR_DATE_TIME, { message: DAY_OR_DATE_TIME_MESSAGE })
  @MaxLength(40)
  to?: string;
}

export class RequestCountView {
  kind!: string;
  direction!: 'inbound' | 'outbound';
  counterpartCountry!: string;
  status!: string;
  count!: number;
}

export class DurationView {
  kind!: string;
  direction!: 'inbound' | 'outbound';
  /** Hours from `sent`; null when no request got there in the period. */
  medianHours!: number | null;
  p90Hours!: number | null;
  count!: number;
}

export class MonthlyCountView {
  /** `YYYY-MM`. */
  month!: string;
  count!: number;
}

export class ArrestCountView {
  month!: string;
  nationality!: string;
  count!: number;
}

export class MoneyTotalsView {
  /** Outbound: frozen for the caller's requests; inbound: frozen by the caller's country for others. */
  direction!: 'inbound' | 'outbound';
  currency!: string;
  /** Decimal strings, exact; never summed across currencies. */
  frozen!: string;
  recovered!: string;
  returned!: string;
}

export class StatsView {
  country!: string;
  from!: string;
  to!: string;
  requests!: RequestCountView[];
  sentToAccepted!: DurationView[];
  sentToFulfilled!: DurationView[];
  overdueNow!: { inbound: number; outbound: number };
  blacklist!: { activeEntries: number; screenings: number; confirmedHits: number };
  /** Arrests made by the caller's country, by month and nationality. */
  arrests!: ArrestCountView[];
  /** Persons handed over (both sides signed) to or by the caller's country, by month. */
  repatriated!: MonthlyCountView[];
  assets!: MoneyTotalsView[];
}
