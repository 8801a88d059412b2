import { ValidationFailedError } from '../errors/domain-errors';
import type { PageQueryDto } from './page-query.dto';
import { UUID } from '../http/validators';

export { PageQueryDto } from './page-query.dto';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Keyset position: the sort time and id of the last item of a page. */
export interface CursorPosition {
  at: string;
  id: string;
}

export function encodeCursor(position: object): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/**
 * What a cursor's `at` must look like: the `toISOString()` the API wrote. A looser check let a year
 * PostgreSQL cannot read, or an id that is not a UUID, reach the query as a 500.
 */
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const INVALID_CURSOR = () =>
  new ValidationFailedError([{ field: 'cursor', message: 'cursor is not a cursor this API returned' }]);

/**
 * A time as `encodeCursor` writes it (`toISOString`), and one PostgreSQL can read: `Date.parse` takes
 * 30 February as 2 March and year 0000, which PostgreSQL refuses (a 500), so the time must come back
 * from `toISOString` as it was written.
 */
function isCursorTime(at: string): boolean {
  if (!CURSOR_TIME.test(at) || at.startsWith('0000')) return false;
  const time = Date.parse(at);
  return !Number.isNaN(time) && new Date(time).toISOString() === at;
}

/**
 * The one cursor decoder: a position of `at` and `id` plus any list-specific members, each of which
 * `extra` vets (an inbox's unread flag, a freeze list's overdue rank). Anything else is a 400 naming
 * `cursor`.
 */
export function decodeCursorWith<E extends object>(
  cursor: string | undefined,
  extra: (value: Record<string, unknown>) => E | null,
): (CursorPosition & E) | null {
  if (cursor === undefined || cursor === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw INVALID_CURSOR();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw INVALID_CURSOR();
  const { at, id } = value as Record<string, unknown>;
  if (typeof at !== 'string' || !isCursorTime(at)) throw INVALID_CURSOR();
  if (typeof id !== 'string' || !UUID.test(id)) throw INVALID_CURSOR();
  const rest = extra(value as Record<string, unknown>);
  if (rest === null) throw INVALID_CURSOR();
  return { ...rest, at, id };
}

export function decodeCursor(cursor: string | undefined): CursorPosition | null {
  return decodeCursorWith(cursor, () => ({}));
}

export const pageLimit = (query: PageQueryDto) => query.limit ?? 50;

/**
 * Builds a page from `limit + 1` rows fetched in the list's order; the cursor is the last item's
 * position (with any list-specific members, which `decodeCursorWith` vets on the way back).
 */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  position: (row: R) => CursorPosition & object,
  view: (row: R) => T,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(view),
    nextCursor: rows.length > limit && last ? encodeCursor(position(last)) : null,
  };
}
