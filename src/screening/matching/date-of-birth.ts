import { boundedMemo } from './bounded-memo';
import type { Evidence } from './evidence';

interface PartialDate {
  year: number;
  month?: number;
  day?: number;
}

const PARTIAL_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; anything else counts as unknown rather than failing a screening. */
export function parsePartialDate(value: string | null | undefined): PartialDate | null {
  return value ? parseRememberedDate(value) : null;
}

// Parsed once per distinct date: every screening reads the dates of thousands of entries.
const parseRememberedDate = boundedMemo(
  'birth-dates',
  (value: string): PartialDate | null => {
    const match = PARTIAL_DATE.exec(value.trim());
    if (!match) return null;
    return {
      year: Number(match[1]),
      month: match[2] ? Number(match[2]) : undefined,
      day: match[3] ? Number(match[3]) : undefined,
    };
  },
  1024 * 1024,
);

/**
 * Dates of birth are falsified and mistyped, so a difference lowers the score without excluding the
 * candidate: the name may still be the person.
 */
export function compareDatesOfBirth(
  queryValue: string | null | undefined,
  entryValue: string | null | undefined,
): Evidence | null {
  const query = parsePartialDate(queryValue);
  const entry = parsePartialDate(entryValue);
  if (!query || !entry) return null;

  // A conflicting year is strong evidence of another person (a namesake): it outweighs a romanisation
  // variant, so an exact name born years apart falls below the alert band. One year apart is a common
  // slip (lunar-calendar birthdays, a mistyped last digit) and counts less.
  const yearGap = Math.abs(query.year - entry.year);
  if (yearGap > 5) return { adjustment: -0.4, reason: `date of birth far apart (${yearGap} years)` };
  if (yearGap > 1) return { adjustment: -0.3, reason: `date of birth year differs (by ${yearGap})` };
  if (yearGap > 0) return { adjustment: -0.1, reason: `date of birth year differs (by 1)` };

  // A year alone is shared by thousands of namesakes: weaker evidence than a full date that agrees.
  if (query.month === undefined || entry.month === undefined) {
    return { adjustment: 0.02, reason: 'date of birth year matches, month and day unknown' };
  }
  if (query.month !== entry.month) {
    // Day and month written the other way round is a common data-entry slip (03-04 for 04-03).
    if (query.day === entry.month && query.month === entry.day) {
      return { adjustment: 0.04, reason: 'date of birth matches with day and month swapped' };
    }
    return { adjustment: -0.04, reason: 'date of birth month differs' };
  }
  if (query.day === undefined || entry.day === undefined) {
    return { adjustment: 0.05, reason: 'date of birth year and month match, day unknown' };
  }
  if (query.day !== entry.day) return { adjustment: -0.02, reason: 'date of birth day differs' };
  return { adjustment: 0.1, reason: 'date of birth matches' };
}
