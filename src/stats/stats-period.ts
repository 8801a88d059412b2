import { CALENDAR_DATE } from '../common/http/validators';

/**
 * A period [from, to) cut into what the pre-summed request figures can answer and what they cannot:
 * whole UTC months and whole UTC days (rows of the rollup tables), and the partial days at either end,
 * which are counted from the requests themselves (at most two days of rows, through the indexes on
 * creation time).
 */
export interface StatsPeriod {
  from: Date;
  to: Date;
  /** First day (`YYYY-MM-DD`) of each whole month inside the period. */
  months: string[];
  /** Each whole day inside the period that is not in one of `months`. */
  days: string[];
  /** Creation times counted from the rows: [from, fullDaysFrom) and [fullDaysTo, to); either may be empty. */
  fullDaysFrom: Date;
  fullDaysTo: Date;
}

const DAY_MS = 86_400_000;
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

function startOfDay(d: Date): Date {
  const day = new Date(d);
  day.setUTCHours(0, 0, 0, 0);
  return day;
}

function startOfNextMonth(d: Date): Date {
  const next = new Date(d);
  next.setUTCDate(1);
  next.setUTCMonth(next.getUTCMonth() + 1);
  return next;
}

export function splitPeriod(from: Date, to: Date): StatsPeriod {
  const firstDay = startOfDay(from);
  const fullDaysFrom =
    firstDay.getTime() === from.getTime() ? firstDay : new Date(firstDay.getTime() + DAY_MS);
  const fullDaysTo = startOfDay(to);
  if (fullDaysFrom >= fullDaysTo) return { from, to, months: [], days: [], fullDaysFrom: to, fullDaysTo: to };
  const months: string[] = [];
  const days: string[] = [];
  for (let cursor = fullDaysFrom; cursor < fullDaysTo;) {
    const nextMonth = startOfNextMonth(cursor);
    if (cursor.getUTCDate() === 1 && nextMonth <= fullDaysTo) {
      months.push(isoDate(cursor));
      cursor = nextMonth;
    } else {
      days.push(isoDate(cursor));
      cursor = new Date(cursor.getTime() + DAY_MS);
    }
  }
  return { from, to, months, days, fullDaysFrom, fullDaysTo };
}

/**
 * The exclusive end of the period. A day alone (`to=2026-12-31`) means "up to and including that day",
 * as a reader of the figures means it: the period ends at the next midnight (UTC). It ended at the
 * first instant of the 31st, leaving the day out.
 */
export function periodEnd(to: string): Date {
  const end = new Date(to);
  return CALENDAR_DATE.test(to) ? new Date(end.getTime() + 86_400_000) : end;
}
