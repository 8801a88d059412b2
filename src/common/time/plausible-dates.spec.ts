import { birthDateProblems, dayProblems, EARLIEST_CASE_DAY } from './plausible-dates';

const today = new Date('2026-12-03T10:00:00Z');

describe('plausible dates', () => {
  it('takes a date of birth, partial or not, from 1900 to today', () => {
    for (const ok of ['1900', '1900-01-01', '1990-04', '2026', '2026-12', '2026-12-03', undefined, null])
      expect(birthDateProblems('birthDate', ok, today)).toEqual([]);
  });

  it('refuses one in the future or before 1900, at the precision given', () => {
    expect(birthDateProblems('birthDate', '2027', today)[0]?.message).toBe(
      'birthDate must not be in the future',
    );
    expect(birthDateProblems('birthDate', '2026-12-04', today)).toHaveLength(1);
    expect(birthDateProblems('person.birthDate', '1899-12', today)[0]).toEqual({
      field: 'person.birthDate',
      message: 'person.birthDate must not be before 1900',
    });
  });

  it('bounds a day by an earliest day and today, both included', () => {
    expect(dayProblems('openedOn', '2026-12-03', EARLIEST_CASE_DAY, today)).toEqual([]);
    expect(dayProblems('openedOn', EARLIEST_CASE_DAY, EARLIEST_CASE_DAY, today)).toEqual([]);
    expect(dayProblems('openedOn', '2026-12-04', EARLIEST_CASE_DAY, today)[0]?.message).toMatch(
      /after today/,
    );
    expect(dayProblems('openedOn', '1989-12-31', EARLIEST_CASE_DAY, today)[0]?.message).toMatch(/1990/);
  });
});
