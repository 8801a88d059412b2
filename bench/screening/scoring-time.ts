/**
 * The scoring's time alone at a million entries (diagnostic, session 29): the app's retrieval picks the
 * candidates of BENCH_PLAN_QUERIES (300) names of random active KH entries, one letter changed, then
 * `rankCandidates` scores each query's candidates BENCH_ROUNDS (1) times in this process; the last
 * BENCH_LAST (all) scorings are timed. One round of many distinct names is what a server meets (its
 * caches mostly miss); several rounds of few names show the caches warm. The slowest queries are listed.
 *
 *   BENCH_SCREENING_DATABASE=case_desk_recall_1m BENCH_PLAN_QUERIES=2000 BENCH_LAST=1000 \
 *     node -r ts-node/register/transpile-only bench/screening/scoring-time.ts
 *
 * With `--cpu-prof` it shows where the scoring's time goes.
 */
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { CandidatePool } from '../../src/screening/candidate-pool';
import { queryKeys } from '../../src/screening/entry-keys';
import { rankCandidates, type ScreeningCandidate } from '../../src/screening/matching';
import { Clock } from '../../src/common/time/clock';
import type { TransactionService } from '../../src/database/transaction.service';
import { ADMIN_URL, percentile } from '../support/harness';
import { databaseUrl } from '../../test/support/test-database-server';
import { namesWithALetterChanged } from './captured-retrievals';

const COUNT = Number(process.env.BENCH_PLAN_QUERIES ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const ms = (x: number) => `${x.toFixed(2)} ms`;

async function main() {
  const name = process.env.BENCH_SCREENING_DATABASE;
  if (!name) throw new Error('BENCH_SCREENING_DATABASE=<a loaded database> is required');
  const db = new Client({ connectionString: databaseUrl(ADMIN_URL, name) });
  await db.connect();
  const names = await namesWithALetterChanged(db, COUNT);
  const manager = {
    query: (sql: string, parameters: unknown[]) => db.query(sql, parameters).then((r) => r.rows),
    connection: { driver: { master: db } },
  };
  const pool = new CandidatePool({ manager } as unknown as TransactionService, new Clock());
  const queries: Array<{ full: string; candidates: ScreeningCandidate[] }> = [];
  for (const full of names)
    queries.push({ full, candidates: await pool.activeCandidates('KH', queryKeys([full]), [full]) });
  await db.end();
  const times: Array<{ ms: number; at: number }> = [];
  for (let round = 0; round < ROUNDS; round++)
    queries.forEach(({ full, candidates }, at) => {
      const started = performance.now();
      rankCandidates({ names: [full] }, candidates, { threshold: 0.5 });
      times.push({ ms: performance.now() - started, at });
    });
  const timed = times.slice(-Number(process.env.BENCH_LAST ?? times.length));
  const values = timed.map((t) => t.ms);
  const scored = queries.reduce((sum, q) => sum + q.candidates.length, 0) / queries.length;
  console.log(
    `scoring ${timed.length} of ${times.length} (${ROUNDS} rounds of ${queries.length} names, ${scored.toFixed(0)} ` +
      `candidates each): p50 ${ms(percentile(values, 50))}  p95 ${ms(percentile(values, 95))}  ` +
      `mean ${ms(values.reduce((a, b) => a + b, 0) / values.length)}`,
  );
  for (const t of [...timed].sort((a, b) => b.ms - a.ms).slice(0, 8))
    console.log(
      `  slow: ${ms(t.ms)}  "${queries[t.at]!.full}"  ${queries[t.at]!.candidates.length} candidates`,
    );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
