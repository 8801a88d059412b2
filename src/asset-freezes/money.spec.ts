import { amountProblem, CURRENCY_DECIMALS, formatAmount, Money, sum, totalsByCurrency } from './money';

describe('money rules', () => {
  it('knows the minor units of the task forces’ currencies and the crypto assets', () => {
    expect(CURRENCY_DECIMALS).toMatchObject({
      KRW: 0,
      KHR: 0,
      MYR: 2,
      USD: 2,
      THB: 2,
      VND: 0,
      USDT: 6,
      BTC: 8,
      ETH: 18,
    });
  });

  it('accepts decimal strings within the currency’s minor units', () => {
    expect(amountProblem('1500000', 'KRW')).toBeNull();
    expect(amountProblem('12.5', 'MYR')).toBeNull();
    expect(amountProblem('12.50', 'USD')).toBeNull();
    expect(amountProblem('0.00000001', 'BTC')).toBeNull();
    expect(amountProblem('1.000000000000000001', 'ETH')).toBeNull();
    expect(amountProblem('99999999999999999999', 'KRW')).toBeNull();
  });

  it('refuses more decimals than the currency allows, signs, exponents, numbers and zero where positive', () => {
    expect(amountProblem('1500000.5', 'KRW')).toBe('has 1 decimal places; KRW allows 0');
    expect(amountProblem('0.001', 'USD')).toBe('has 3 decimal places; USD allows 2');
    expect(amountProblem('0.0000001', 'USDT')).toBe('has 7 decimal places; USDT allows 6');
    for (const bad of ['-1', '+1', '1e6', '1.', '.5', '01', ' 1', '1,000', '', 'NaN', 'Infinity', '0x10'])
      expect(amountProblem(bad, 'USD')).toMatch(/decimal string/);
    expect(amountProblem(1500, 'USD')).toMatch(/decimal string/);
    expect(amountProblem('123456789012345678901', 'KRW')).toMatch(/decimal string/);
    expect(amountProblem('0', 'USD', { positive: true })).toBe('must be greater than zero');
    expect(amountProblem('0.00', 'USD', { positive: true })).toBe('must be greater than zero');
  });

  it('adds exactly where floats do not', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(formatAmount(new Money('0.1').plus('0.2'))).toBe('0.3');
    expect(Number('9007199254740993')).toBe(2 ** 53); // what a float makes of it
    expect(formatAmount(new Money('9007199254740993'))).toBe('9007199254740993');
    expect(formatAmount(sum([new Money('9007199254740993'), new Money('1')]))).toBe('9007199254740994');
    expect(formatAmount(new Money('1.000000000000000001').plus('0.000000000000000001'))).toBe(
      '1.000000000000000002',
    );
    expect(formatAmount(new Money('1500000.000000000000000000'))).toBe('1500000');
  });

  it('totals per currency and never across currencies', () => {
    const rows = [
      { currency: 'USD', frozen: new Money('0.1') },
      { currency: 'KRW', frozen: new Money('9007199254740993') },
      { currency: 'USD', frozen: new Money('0.2') },
      { currency: 'MYR', frozen: new Money('0.2') },
    ];
    expect(totalsByCurrency(rows, ['frozen'] as const)).toEqual([
      { currency: 'KRW', frozen: '9007199254740993' },
      { currency: 'MYR', frozen: '0.2' },
      { currency: 'USD', frozen: '0.3' },
    ]);
  });
});
