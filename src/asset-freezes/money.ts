import Decimal from 'decimal.js';

/**
 * Money rules of asset freezes. Amounts travel as decimal strings (`{ "amount": "1500000", "currency": "KRW" }`),
 * are stored as `numeric` and are computed with decimal.js, never with JavaScript numbers. Each currency has
 * its minor units; an amount with more decimals than its currency allows is refused. Totals are kept per
 * currency and never summed across currencies.
 */
export const Money = Decimal.clone({
  precision: 80,
  rounding: Decimal.ROUND_DOWN,
  toExpNeg: -80,
  toExpPos: 80,
});
export type Amount = InstanceType<typeof Money>;

/** Decimal places per currency: ISO 4217 minor units for fiat, the asset's usual precision for crypto. */
export const CURRENCY_DECIMALS: Readonly<Record<string, number>> = {
  // ISO 4217 (the task forces' countries and the usual settlement currencies)
  KRW: 0,
  KHR: 0,
  VND: 0,
  JPY: 0,
  IDR: 2,
  LAK: 2,
  MMK: 2,
  MYR: 2,
  USD: 2,
  THB: 2,
  SGD: 2,
  PHP: 2,
  BND: 2,
  CNY: 2,
  HKD: 2,
  TWD: 2,
  EUR: 2,
  GBP: 2,
  AUD: 2,
  // Crypto assets
  USDT: 6,
  USDC: 6,
  BTC: 8,
  ETH: 18,
  TRX: 6,
  BNB: 18,
  SOL: 9,
};
export const CURRENCIES = Object.keys(CURRENCY_DECIMALS);

/** Non-negative, plain notation, at most 20 integer digits and 18 decimals (PostgreSQL `numeric(38,18)`). */
export const AMOUNT_PATTERN = /^(0|[1-9][0-9]{0,19})(\.[0-9]{1,18})?$/;

/** Below this a total still fits `numeric(38,18)`: one amount always does, a sum of several may not. */
export const AMOUNT_LIMIT = new Money('1e20');

export interface MoneyValue {
  amount: string;
  currency: string;
}

/** Why an amount string is not acceptable for a currency, or null when it is. */
export function amountProblem(
  amount: unknown,
  currency: unknown,
  options: { positive?: boolean } = {},
): string | null {
  if (typeof amount !== 'string' || !AMOUNT_PATTERN.test(amount))
    return 'must be a non-negative decimal string such as "1500000" or "12.50" (no sign, no exponent)';
  if (typeof currency !== 'string' || !(currency in CURRENCY_DECIMALS)) return null; // reported on the currency
  const places = decimalPlaces(amount);
  const allowed = CURRENCY_DECIMALS[currency]!;
  if (places > allowed) return `has ${places} decimal places; ${currency} allows ${allowed}`;
  if (options.positive && new Money(amount).isZero()) return 'must be greater than zero';
  return null;
}

function decimalPlaces(amount: string): number {
  const dot = amount.indexOf('.');
  return dot < 0 ? 0 : amount.length - dot - 1;
}

export function toAmount(value: string | number | Amount): Amount {
  if (typeof value === 'number') throw new Error('Money never comes from a JavaScript number');
  return new Money(value);
}

/** The canonical string of an amount: plain notation, no trailing zeros (`"0.3"`, `"9007199254740993"`). */
export function formatAmount(value: Amount): string {
  return value.toFixed();
}

export function sum(values: Amount[]): Amount {
  return values.reduce((a, b) => a.plus(b), new Money(0));
}

/** Adds amounts per currency; the result is sorted by currency. */
export function totalsByCurrency<K extends string>(
  rows: Array<{ currency: string } & Record<K, Amount>>,
  keys: readonly K[],
): Array<{ currency: string } & Record<K, string>> {
  const byCurrency = new Map<string, Record<K, Amount>>();
  for (const row of rows) {
    let total = byCurrency.get(row.currency);
    if (!total) {
      total = Object.fromEntries(keys.map((k) => [k, new Money(0)])) as Record<K, Amount>;
      byCurrency.set(row.currency, total);
    }
    for (const k of keys) total[k] = total[k].plus(row[k]);
  }
  return [...byCurrency.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([currency, total]) =>
        ({
          currency,
          ...Object.fromEntries(keys.map((k) => [k, formatAmount(total[k])])),
        }) as { currency: string } & Record<K, string>,
    );
}

/**
 * Every way a body may have written `amount` for its currency (`AMOUNT_PATTERN`, at most the
 * currency's places): its canonical form, then with trailing zeros up to those places (`1500`,
 * `1500.0`, `1500.00` for USD). What a stored amount (`numeric`, canonical once read) was typed as.
 */
export function writtenForms(amount: string, currency: string): string[] {
  const canonical = formatAmount(new Money(amount));
  const dot = canonical.indexOf('.');
  const places = dot < 0 ? 0 : canonical.length - dot - 1;
  const allowed = CURRENCY_DECIMALS[currency] ?? 0;
  const forms = [canonical];
  for (let k = places + 1; k <= allowed; k++)
    forms.push(places === 0 ? `${canonical}.${'0'.repeat(k)}` : `${canonical}${'0'.repeat(k - places)}`);
  return forms;
}
