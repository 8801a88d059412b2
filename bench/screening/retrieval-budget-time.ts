/**
 * The screening retrieval's time under other budgets and pre-scores, on a loaded database (diagnostic,
 * session 12):
 *
 *   BENCH_SCREENING_DATABASE=case_desk_bench_… npx ts-node --project bench/tsconfig.json bench/screening/retrieval-budget-time.ts
 *
 * Names of BENCH_PLAN_QUERIES (300) random active entries with one letter changed (as
 * retrieval-plan-time.ts) are retrieved by `CANDIDATES_SQL` as named prepared statements on one
 * connection, with each budget of BENCH_BUDGETS ("fetched+most alike", comma-separated) and with the
 * pre-score of sessions 9–11 (pg_trgm `similarity` over the whole forms, `trigram` in the labels) at
 * their budget (400 + 50) and at the app's. The variants alternate query by query, so the machine's load hits all alike.
 */
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { CANDIDATE_BUDGET, CANDIDATES_SQL } from '../../src/screening/candidate-pool';
import { queryKeys } from '../../src/screening/entry-keys';
import { retrievalFormsOf } from '../../src/screening/matching';
import { ADMIN_URL, loadAverage, percentile } from '../support/harness';
import { databaseUrl } from '../../test/support/test-database-server';
import { namesWithALetterChanged } from './captured-retrievals';

const COUNT = Number(process.env.BENCH_PLAN_QUERIES ?? 300);
const BUDGETS = (process.env.BENCH_BUDGETS ?? '400+50,400+100,600+75,600+100,1000+100')
  .split(',')
  .map((b) => b.split('+').map(Number) as [number, number]);
const ms = (x: number) => `${x.toFixed(2)} ms`;

// The pre-score of sessions 9–11, for comparison: pg_trgm over the whole forms.
const TRIGRAM_SQL = CANDIDATES_SQL.replace(
  /coalesce\(\(SELECT max\(CASE WHEN [\s\S]*?\) x\), 0\) AS likeness/,
  `coalesce((SELECT max(similarity(q, e)) FROM unnest($9::text[]) q, unnest(f.retrieval_forms) e), 0) AS likeness`,
);

async function main() {
  const name = process.env.BENCH_SCREENING_DATABASE;
  if (!name) throw new Error('BENCH_SCREENING_DATABASE=<a loaded database> is required');
  if (TRIGRAM_SQL === CANDIDATES_SQL) throw new Error('the trigram variant was not made');
  const db = new Client({ connectionString: databaseUrl(ADMIN_URL, name) });
  await db.connect();
  console.log(`retrieval by budget on ${name}, ${COUNT} queries; load ${await loadAverage()}`);
  const names = await namesWithALetterChanged(db, COUNT);
  const today = new Date().toISOString().slice(0, 10);
  const variants = [
    // Sessions 9–11: trigrams, 400 + 50; and trigrams at the app's budget, to see the comparison's cost alone.
    { label: 'trigram 400+50', sql: TRIGRAM_SQL, budget: [400, 50] },
    {
      label: `trigram ${CANDIDATE_BUDGET.fetched}+${CANDIDATE_BUDGET.mostAlike}`,
      sql: TRIGRAM_SQL,
      budget: [CANDIDATE_BUDGET.fetched, CANDIDATE_BUDGET.mostAlike],
    },
    ...BUDGETS.map((budget) => ({ label: `edit ${budget.join('+')}`, sql: CANDIDATES_SQL, budget })),
  ].map((v, i) => ({ ...v, name: `budget_time_${i}`, times: [] as number[], rows: [] as number[] }));
  for (const [n, full] of names.entries()) {
    const keys = queryKeys([full]);
    const forms = retrievalFormsOf([full]);
    // Rotate the order per query too.
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(k + n) % variants.length]!;
      const values = [
        'KH',
        keys,
        today,
        v.budget[0],
        CANDIDATE_BUDGET.holdersRead,
        CANDIDATE_BUDGET.scored,
        CANDIDATE_BUDGET.scoredWithTies,
        v.budget[1],
        forms,
        Math.max(v.budget[1]!, CANDIDATE_BUDGET.mostAlikeWithTies),
      ];
      const started = performance.now();
      const result = await db.query({ name: v.name, text: v.sql, values });
      v.times.push(performance.now() - started);
      v.rows.push(result.rows.length);
    }
  }
  for (const v of variants) {
    const mean = v.rows.reduce((a, b) => a + b, 0) / v.rows.length;
    console.log(
      `  ${v.label.padEnd(18)} p50 ${ms(percentile(v.times, 50))}  p95 ${ms(percentile(v.times, 95))}  p99 ${ms(percentile(v.times, 99))}  rows ${mean.toFixed(0)}`,
    );
  }
  console.log(`  load ${await loadAverage()}`);
  await db.end();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
