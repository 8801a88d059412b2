import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { isLockNotAvailable } from '../database/pg-errors';
import { TransactionService } from '../database/transaction.service';

export type StoredAnswer =
  { kind: 'replay'; status: number; body: unknown } | { kind: 'mismatch' } | { kind: 'none' };

/** Keys live this long; an expired key may be used again for another request. */
const TTL = '24 hours';
/**
 * How long a retry waits for the first call with its key to finish before answering 409. Longer than
 * any create normally takes, short enough that a storm of retries cannot hold connections for long.
 */
export const CLAIM_WAIT = '5s';

/** Stable JSON: the same body with its keys in another order is the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function requestFingerprint(method: string, path: string, body: unknown, query: unknown = {}): string {
  // The query is part of the request (`POST /arrests/batch?allowDuplicates=true` is another request
  // than without it: a key reused across the two replayed the first answer; probe input r4). Left out
  // when empty, so that a request without one keeps the fingerprint it always had (stored keys still replay).
  const params =
    query !== null && typeof query === 'object' && Object.keys(query).length > 0
      ? ` ?${canonical(query)}`
      : '';
  return createHash('sha256')
    .update(`${method} ${path}${params}\n${canonical(body)}`)
    .digest('hex');
}

/** lock_not_available: `lock_timeout` ran out while another call held the key. */
export const isClaimTimeout = (error: unknown): boolean => isLockNotAvailable(error);

/**
 * Stores the first answer to a keyed create so retries replay it. Every statement runs in the create's
 * own transaction (`tx.manager`): the claim is a transaction-scoped advisory lock and the answer row is
 * written just before COMMIT, so a call that dies (process killed, connection cut, error) leaves
 * neither behind and the key is free again at once. Nothing is written outside that transaction, so
 * there is no `running` row for a crash to strand.
 */
@Injectable()
export class IdempotencyService {
  constructor(private readonly tx: TransactionService) {}

  /**
   * Takes the key for the running transaction; waits up to CLAIM_WAIT while another call holds it
   * (then throws lock_not_available, see `isClaimTimeout`). A dead holder's lock is gone with its
   * connection, so it never blocks anyone.
   */
  async claim(userId: string, key: string): Promise<void> {
    const m = this.tx.manager;
    await m.query(`SET LOCAL lock_timeout = '${CLAIM_WAIT}'`);
    // Two 32-bit halves (user, key): a hash collision only makes two calls wait for each other.
    await m.query(`SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))`, [userId, key]);
    await m.query(`SET LOCAL lock_timeout TO DEFAULT`);
  }

  /** The answer stored for this key (while it has not expired), compared with this request. */
  async storedAnswer(userId: string, key: string, fingerprint: string): Promise<StoredAnswer> {
    // `running` rows are left by versions before claims moved into the transaction: nobody runs them.
    const [row] = await this.tx.manager.query(
      `SELECT request_hash, response_status, response_body FROM idempotency_key
        WHERE user_id = $1 AND key = $2 AND state = 'done' AND expires_at > now()`,
      [userId, key],
    );
    if (!row) return { kind: 'none' };
    if (row.request_hash !== fingerprint) return { kind: 'mismatch' };
    return { kind: 'replay', status: row.response_status, body: row.response_body };
  }

  /** Records the answer in the create's transaction: it commits with the record or not at all. */
  async store(
    userId: string,
    key: string,
    fingerprint: string,
    status: number,
    body: unknown,
  ): Promise<void> {
    await this.tx.manager.query(
      `INSERT INTO idempotency_key (user_id, key, request_hash, state, response_status, response_body, expires_at)
       VALUES ($1, $2, $3, 'done', $4, $5, now() + interval '${TTL}')
       ON CONFLICT (user_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, state = 'done', response_status = EXCLUDED.response_status,
             response_body = EXCLUDED.response_body, created_at = now(), expires_at = EXCLUDED.expires_at`,
      [userId, key, fingerprint, status, JSON.stringify(body ?? null)],
    );
  }
}
