import type { FieldError } from '../errors/domain-errors';

/** No one alive or wanted was born before this year; earlier is a typo (`1066` for `1966`). */
export const EARLIEST_BIRTH_YEAR = 1900;
/** The earliest day a case of this desk can have been opened (records older than the task forces). */
export const EARLIEST_CASE_DAY = '1990-01-01';

/** Today as the app's clock says, in the precision of `value` (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`). */
const todayAs = (value: string, today: Date) => today.toISOString().slice(0, value.length);

/**
 * A date of birth, possibly partial, must lie between 1900 and today (the app's clock). The rule of
 * screenings, shared by persons and arrests so a birth in 2099 or 1066 is refused wherever it is typed.
 */
export function birthDateProblems(
  field: string,
  value: string | null | undefined,
  today: Date,
): FieldError[] {
  if (!value) return [];
  if (value > todayAs(value, today)) return [{ field, message: `${field} must not be in the future` }];
  if (Number(value.slice(0, 4)) < EARLIEST_BIRTH_YEAR)
    return [{ field, message: `${field} must not be before ${EARLIEST_BIRTH_YEAR}` }];
  return [];
}

/** A day (`YYYY-MM-DD`) between `earliest` and today (the app's clock), both included. */
export function dayProblems(
  field: string,
  value: string | null | undefined,
  earliest: string,
  today: Date,
): FieldError[] {
  if (!value) return [];
  if (value > todayAs(value, today)) return [{ field, message: `${field} must not be after today` }];
  if (value < earliest) return [{ field, message: `${field} must not be before ${earliest}` }];
  return [];
}

/**
 * An event of this desk (an arrest, a freeze, a handover) happened on or after `EARLIEST_CASE_DAY`: an
 * earlier time is a typo (`0206` for `2026`), refused as a birth in 1066 is.
 */
export function eventTimeBeforeDesk(field: string, value: string | null | undefined): FieldError[] {
  if (!value || Date.parse(value) >= Date.parse(`${EARLIEST_CASE_DAY}T00:00:00Z`)) return [];
  return [{ field, message: `${field} must not be before ${EARLIEST_CASE_DAY}` }];
}
