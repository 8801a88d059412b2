import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import type { DataSource } from 'typeorm';

interface Row {
  hits: number;
  expires_in: number;
  blocked_for: number | null;
}

// The row's window is over (and it is not blocked), or its block has ended: the hit starts a new window.
const FRESH = `(t.blocked_until IS NULL AND t.window_ends_at <= now()) OR t.blocked_until <= now()`;
const HITS = `CASE WHEN ${FRESH} THEN 1 ELSE t.hits + 1 END`;

/**
 * Sign-in counters in PostgreSQL, so every app instance on the database counts against one limit.
 * A fixed window per key, as the Redis storage keeps it: one atomic upsert per attempt (the row lock
 * of ON CONFLICT serialises concurrent attempts on a key; different keys never wait on each other).
 * Past the limit the key is blocked for `blockDuration`; its next attempt after that opens a new window.
 */
export class PostgresThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly dataSource: DataSource) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const [row] = (await this.dataSource.query(
      `INSERT INTO login_throttle AS t (key, hits, window_ends_at, blocked_until)
       VALUES ($1, 1, now() + $2 * interval '1 millisecond',
               CASE WHEN 1 > $3 THEN now() + $4 * interval '1 millisecond' END)
       ON CONFLICT (key) DO UPDATE SET
         hits = ${HITS},
         window_ends_at = CASE WHEN ${FRESH} THEN EXCLUDED.window_ends_at ELSE t.window_ends_at END,
         blocked_until = CASE
           WHEN t.blocked_until > now() THEN t.blocked_until
           WHEN ${HITS} > $3 THEN now() + $4 * interval '1 millisecond'
         END
       RETURNING hits,
         ceil(extract(epoch FROM window_ends_at - now()))::int AS expires_in,
         CASE WHEN blocked_until > now() THEN ceil(extract(epoch FROM blocked_until - now()))::int END AS blocked_for`,
      [`${throttlerName}:${key}`, ttl, limit, blockDuration],
    )) as Row[];
    return {
      totalHits: row.hits,
      timeToExpire: Math.max(0, row.expires_in),
      isBlocked: row.blocked_for !== null,
      timeToBlockExpire: row.blocked_for ?? 0,
    };
  }

  /**
   * One hit of the key taken back; a row whose one hit it was goes (its next hit opens a new window, as
   * a row with none would). A block stays.
   */
  async refund(key: string, throttlerName: string): Promise<void> {
    await this.dataSource.query(
      `WITH gone AS (DELETE FROM login_throttle WHERE key = $1 AND hits <= 1 AND blocked_until IS NULL RETURNING 1)
       UPDATE login_throttle SET hits = hits - 1 WHERE key = $1 AND hits > 1`,
      [`${throttlerName}:${key}`],
    );
  }

  /** Drops counters whose window and block are both over (they would start afresh anyway). */
  async sweep(): Promise<number> {
    const [, deleted] = (await this.dataSource.query(
      `DELETE FROM login_throttle WHERE greatest(window_ends_at, blocked_until) < now()`,
    )) as [unknown, number];
    return deleted;
  }
}
