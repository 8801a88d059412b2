import { IsDateString, IsOptional } from 'class-validator';

export class StatsQueryDto {
  /** Start of the period (inclusive); defaults to one year ago. */
  @IsOptional()
  @IsDateString({ strict: true })
  from?: string;

  /** End of the period (exclusive); defaults to now. */
  @IsOptional()
  @IsDateString({ strict: true })
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

export class StatsView {
  country!: string;
  from!: string;
  to!: string;
  requests!: RequestCountView[];
  sentToAccepted!: DurationView[];
  sentToFulfilled!: DurationView[];
  overdueNow!: { inbound: number; outbound: number };
  blacklist!: { activeEntries: number; screenings: number; confirmedHits: number };
}
