import type { EntityManager } from 'typeorm';
import { returningRows } from '../database/returning';
import { AUTH_LIMITS } from './auth-settings';

/** The rows that carry a sign-in lockout, by the columns that name one. */
const LOCKOUT_ROWS = { app_user: ['id'], sign_in_address: ['user_id', 'address'] } as const;

/**
 * Counts one wrong password toward a lockout, in one atomic statement so concurrent guesses each count
 * (no read-modify-write): the row's failures within the window plus this one (or one, the window over),
 * locked for the lockout's duration at the threshold. The account (`app_user`, by id) and each of its own
 * addresses (`sign_in_address`, by user id and address) count the same way. Answers the end of the
 * lockout when this count locked the row, else null. Sign-in bookkeeping: no version changes.
 */
export async function countWrongPassword(
  manager: EntityManager,
  table: keyof typeof LOCKOUT_ROWS,
  key: string[],
  now: Date,
): Promise<Date | null> {
  const columns = LOCKOUT_ROWS[table];
  const at = (i: number) => `$${columns.length + i}`;
  const [now$, window$, threshold$, duration$] = [at(1), at(2), at(3), at(4)];
  const recent = `failed_logins_since IS NOT NULL AND failed_logins_since > ${now$}::timestamptz - make_interval(secs => ${window$} / 1000.0)`;
  const [row] = await returningRows<{ failed_logins: number; locked_until: Date | null }>(
    manager,
    `WITH counted AS (
       SELECT ${columns.join(', ')},
              CASE WHEN ${recent} THEN failed_logins + 1 ELSE 1 END AS n,
              CASE WHEN ${recent} THEN failed_logins_since ELSE ${now$}::timestamptz END AS since
         FROM ${table} WHERE ${columns.map((c, i) => `${c} = $${i + 1}`).join(' AND ')} FOR UPDATE
     )
     UPDATE ${table} t SET failed_logins = c.n, failed_logins_since = c.since,
            locked_until = CASE WHEN c.n >= ${threshold$} THEN ${now$}::timestamptz + make_interval(secs => ${duration$} / 1000.0)
                                ELSE t.locked_until END
       FROM counted c WHERE ${columns.map((c) => `t.${c} = c.${c}`).join(' AND ')}
     RETURNING t.failed_logins, t.locked_until`,
    [...key, now, AUTH_LIMITS.lockoutWindowMs, AUTH_LIMITS.lockoutThreshold, AUTH_LIMITS.lockoutDurationMs],
  );
  return row && row.failed_logins === AUTH_LIMITS.lockoutThreshold && row.locked_until
    ? new Date(row.locked_until)
    : null;
}
