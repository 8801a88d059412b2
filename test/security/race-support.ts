import type { DataSource } from 'typeorm';

/**
 * Fires concurrent calls and counts them, so each race suite can print how many races it ran (issue 10
 * asks every suite to say how many cases it covered). A "race case" is one burst of calls started together.
 */
export function raceCounter(suite: string) {
  let cases = 0;
  let calls = 0;
  return {
    /** Starts every call at once (supertest sends on `then`, which Promise.all calls for each). */
    burst<T>(started: Array<PromiseLike<T>>): Promise<T[]> {
      cases++;
      calls += started.length;
      return Promise.all(started);
    },
    report: () => console.log(`${suite}: ${cases} race cases, ${calls} concurrent calls`),
  };
}

/** The actions of the successful audit events about one record, oldest first. */
export async function successfulActions(ds: DataSource, recordId: string): Promise<string[]> {
  const rows: Array<{ action: string }> = await ds.query(
    `SELECT action FROM audit_event WHERE record_id = $1 AND outcome = 'success' ORDER BY id`,
    [recordId],
  );
  return rows.map((r) => r.action);
}

/** The newest audit event's id: events written by a burst are those after it. */
export async function lastAuditId(ds: DataSource): Promise<string> {
  const [row] = await ds.query(`SELECT coalesce(max(id), 0)::text AS id FROM audit_event`);
  return row.id as string;
}

/** Successful events of `action` written after `sinceId`: the record and the reference they name. */
export async function eventsSince(
  ds: DataSource,
  action: string,
  sinceId: string,
): Promise<Array<{ recordId: string; reference: string | null }>> {
  return ds.query(
    `SELECT record_id AS "recordId", changes -> 'after' ->> 'reference' AS reference
       FROM audit_event WHERE id > $1 AND action = $2 AND outcome = 'success' ORDER BY id`,
    [sinceId, action],
  );
}

/**
 * The highest sequence number among references starting with `prefix` (`KR-CASE-2026-`) in `table`,
 * read from the records themselves rather than from however the app keeps its counter.
 */
export async function highestNumber(
  ds: DataSource,
  table: 'case_file' | 'cross_border_request',
  prefix: string,
): Promise<number> {
  const [row] = await ds.query(
    `SELECT coalesce(max(substring(reference FROM '(\\d+)$')::int), 0) AS n FROM ${table} WHERE reference LIKE $1`,
    [`${prefix}%`],
  );
  return row.n as number;
}

/** The sequence numbers of `references`, sorted; fails if one does not have the expected prefix. */
export function sequenceNumbers(references: string[], prefix: string): number[] {
  return references
    .map((ref) => {
      if (!ref.startsWith(prefix) || !/^\d{6}$/.test(ref.slice(prefix.length)))
        throw new Error(`reference ${ref} does not look like ${prefix}NNNNNN`);
      return Number(ref.slice(prefix.length));
    })
    .sort((a, b) => a - b);
}

/** `from`, `from + 1`, … `from + count - 1`. */
export const run = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
