import { compareDatesOfBirth, parsePartialDate } from './date-of-birth';

describe('compareDatesOfBirth', () => {
  it('boosts an exact date', () => {
    expect(compareDatesOfBirth('1990-03-14', '1990-03-14')).toEqual({
      adjustment: 0.1,
      reason: 'date of birth matches',
    });
  });

  it('treats a year alone as compatible with a full date in that year, with a smaller boost', () => {
    const evidence = compareDatesOfBirth('1990', '1990-03-14');
    expect(evidence?.adjustment).toBeGreaterThan(0);
    expect(evidence?.adjustment).toBeLessThan(0.1);
    expect(evidence?.reason).toBe('date of birth year matches, month and day unknown');
  });

  it('lowers the score for a differing year, and more for a far-off one, without excluding', () => {
    const nearby = compareDatesOfBirth('1991-03-14', '1990-03-14');
    const far = compareDatesOfBirth('1975-03-14', '1990-03-14');
    expect(nearby?.reason).toBe('date of birth year differs (by 1)');
    expect(nearby?.adjustment).toBeLessThan(0);
    expect(far?.reason).toBe('date of birth far apart (15 years)');
    expect(far!.adjustment).toBeLessThan(nearby!.adjustment);
    expect(far!.adjustment).toBeGreaterThan(-0.5);
    // Years apart count strongly against: more than a romanisation variant costs (0.05 of 0.85).
    expect(compareDatesOfBirth('1993-03-14', '1990-03-14')!.adjustment).toBeLessThanOrEqual(-0.3);
  });

  it('recognises day and month written the other way round', () => {
    expect(compareDatesOfBirth('1990-04-03', '1990-03-04')?.reason).toBe(
      'date of birth matches with day and month swapped',
    );
  });

  it('says nothing when either date is unknown or unreadable', () => {
    expect(compareDatesOfBirth(null, '1990-03-14')).toBeNull();
    expect(compareDatesOfBirth('14/03/1990', '1990-03-14')).toBeNull();
  });

  it('parses partial dates', () => {
    expect(parsePartialDate('1990-03')).toEqual({ year: 1990, month: 3, day: undefined });
    expect(parsePartialDate('90')).toBeNull();
  });
});
