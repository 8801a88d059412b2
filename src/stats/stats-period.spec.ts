import { splitPeriod } from './stats-period';

const at = (iso: string) => new Date(iso);

describe('splitPeriod', () => {
  it('answers whole months from months, the other whole days from days, and the partial days from rows', () => {
    const p = splitPeriod(at('2026-01-30T10:00:00Z'), at('2026-04-02T06:30:00Z'));
    expect(p.days).toEqual(['2026-01-31', '2026-04-01']);
    expect(p.months).toEqual(['2026-02-01', '2026-03-01']);
    expect(p.fullDaysFrom).toEqual(at('2026-01-31T00:00:00Z'));
    expect(p.fullDaysTo).toEqual(at('2026-04-02T00:00:00Z'));
  });

  it('needs no rows when the period starts and ends at midnight, and a month ending the period counts whole', () => {
    const p = splitPeriod(at('2025-12-01T00:00:00Z'), at('2026-03-01T00:00:00Z'));
    expect(p.months).toEqual(['2025-12-01', '2026-01-01', '2026-02-01']);
    expect(p.days).toEqual([]);
    expect(p.fullDaysFrom).toEqual(p.from);
    expect(p.fullDaysTo).toEqual(p.to);
  });

  it('counts a period without a whole day from the rows alone', () => {
    const from = at('2026-05-03T22:00:00Z');
    const to = at('2026-05-04T23:59:00Z');
    expect(splitPeriod(from, to)).toEqual({
      from,
      to,
      months: [],
      days: [],
      fullDaysFrom: to,
      fullDaysTo: to,
    });
  });
});
