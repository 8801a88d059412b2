import { Injectable, OnModuleInit } from '@nestjs/common';
import { TransactionService } from '../database/transaction.service';
import { JobsService } from '../jobs/jobs.service';

/** Each rollup table with the columns that name a group (all but `n`). */
const ROLLUP_TABLES: Record<string, string> = {
  stats_request_count: 'grain, starts_on, side, origin_country, target_country, kind, status, sent',
  stats_request_duration: 'grain, starts_on, side, origin_country, target_country, kind, measure, bucket',
  stats_open_request: 'due_on, origin_country, target_country',
};

/**
 * Merges every group that has several delta rows into one row holding their sum (none when the sum
 * is 0). Writers keep inserting meanwhile: rows committed after this statement's snapshot are not
 * deleted, so they are neither lost nor counted twice; a concurrent compaction skips the rows this one
 * deleted. Also run by `npm run bench:scale` after its bulk loads.
 */
export const COMPACT_ROLLUP_SQL = Object.entries(ROLLUP_TABLES).map(
  ([table, key]) => `
  WITH merged AS (
    DELETE FROM ${table} WHERE (${key}) IN (SELECT ${key} FROM ${table} GROUP BY ${key} HAVING count(*) > 1 OR sum(n) = 0)
    RETURNING *)
  INSERT INTO ${table} (${key}, n) SELECT ${key}, sum(n) FROM merged GROUP BY ${key} HAVING sum(n) <> 0`,
);

/**
 * Keeps the stats rollup tables (migration 1763800011000-RequestStatsRollup) small: every request
 * change appends delta rows, and this job folds them once a minute so `/stats` sums a few rows per day.
 */
@Injectable()
export class StatsRollupCompaction implements OnModuleInit {
  constructor(
    private readonly tx: TransactionService,
    private readonly jobs: JobsService,
  ) {}

  onModuleInit(): void {
    this.jobs.define({ name: 'stats-rollup-compaction', cron: '* * * * *', handler: () => this.compact() });
  }

  async compact(): Promise<void> {
    await this.tx.run(async () => {
      for (const sql of COMPACT_ROLLUP_SQL) await this.tx.manager.query(sql);
    });
  }
}
