/**
 * The retrieval statement against a variant of it, on a loaded database (diagnostic, session 29):
 *
 *   BENCH_SCREENING_DATABASE=case_desk_recall_1m npx ts-node --transpile-only --project bench/tsconfig.json bench/screening/retrieval-sql-ab.ts
 *
 * The app's statements for BENCH_PLAN_QUERIES (300) names with a letter changed (`capturedRetrievals`)
 * run as named prepared statements on one connection, main's and the variant's alternating query by
 * query (the order rotated), so the machine's load hits both alike. Printed: p50 / p95 / p99 of each
 * and how many queries returned other candidates or another order.
 */
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { CANDIDATES_SQL } from '../../src/screening/candidate-pool';
import { ADMIN_URL, loadAverage, percentile } from '../support/harness';
import { databaseUrl } from '../../test/support/test-database-server';
import { capturedRetrievals } from './captured-retrievals';

const COUNT = Number(process.env.BENCH_PLAN_QUERIES ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const ms = (x: number) => `${x.toFixed(2)} ms`;

/** Session 28's statement: each holder's weight a float, summed and rounded to numeric per entry. */
const NUMERIC_WEIGHTS = CANDIDATES_SQL.replace(
  /,\s*round\(1e6 \* power\(1 \+ ln\(\$5::float8 \/ least\(c\.entries, \$5\)\), 2\)\)::int8 AS weight/,
  '',
).replace(
  'sum(q.weight)::int8 AS weight',
  'round(sum(power(1 + ln($5::float8 / least(q.holders, $5)), 2))::numeric, 9) AS weight',
);
/** The profiles read once: the fetched carry every column, the picked are taken from them (not taken). */
const CARRIED = CANDIDATES_SQL.replace(
  'SELECT s.entry_id, s.retrieval_forms, best.weight,',
  'SELECT s.entry_id, s.retrieval_forms, best.weight, s.grounds_summary, s.proposing_country, s.names, s.birth_date, s.nationalities, s.sex, s.documents,',
).replace('FROM picked JOIN blacklist_screening_profile s ON', 'FROM picked JOIN fetched s ON');

interface Variant {
  sql: string;
  /** The parameters for it, from the app's. */
  values?: (values: unknown[]) => unknown[];
}
/** `f<N>`: main's statement fetching N by weight instead of CANDIDATE_BUDGET.fetched. */
function variantOf(label: string): Variant {
  const fetched = /^f(\d+)$/.exec(label);
  if (fetched)
    return { sql: CANDIDATES_SQL, values: (v) => v.map((x, i) => (i === 3 ? Number(fetched[1]) : x)) };
  const sql = { main: CANDIDATES_SQL, numeric: NUMERIC_WEIGHTS, carried: CARRIED }[label];
  if (!sql) throw new Error(`unknown variant ${label}`);
  if (label !== 'main' && sql === CANDIDATES_SQL) throw new Error(`variant ${label} was not made`);
  return { sql };
}
const CHOSEN = (process.env.BENCH_SQL_VARIANTS ?? 'main,numeric').split(',');

async function main() {
  const name = process.env.BENCH_SCREENING_DATABASE;
  if (!name) throw new Error('BENCH_SCREENING_DATABASE=<a loaded database> is required');
  const db = new Client({ connectionString: databaseUrl(ADMIN_URL, name) });
  await db.connect();
  console.log(`retrieval A/B on ${name}, ${COUNT} queries × ${ROUNDS}; load ${await loadAverage()}`);
  const retrievals = await capturedRetrievals(db, COUNT);
  const variants = CHOSEN.map((label) => ({ label, ...variantOf(label), times: [] as number[] }));
  // Per variant: the queries whose candidates (ids in order) differ from the first variant's.
  const differ = variants.map(() => 0);
  for (let round = 0; round < ROUNDS; round++)
    for (const [n, r] of retrievals.entries()) {
      const ids: string[] = [];
      for (let k = 0; k < variants.length; k++) {
        const index = (k + n + round) % variants.length;
        const v = variants[index]!;
        const values = v.values ? v.values(r.values) : r.values;
        const started = performance.now();
        const result = await db.query({ name: `ab_${v.label}`, text: v.sql, values });
        v.times.push(performance.now() - started);
        ids[index] = result.rows.map((row: { id: string }) => row.id).join();
      }
      if (round === 0) ids.forEach((found, index) => (differ[index]! += +(found !== ids[0])));
    }
  variants.forEach((v, index) =>
    console.log(
      `  ${v.label.padEnd(8)} p50 ${ms(percentile(v.times, 50))}  p95 ${ms(percentile(v.times, 95))}  ` +
        `p99 ${ms(percentile(v.times, 99))}  other candidates than ${variants[0]!.label}: ${differ[index]} of ${retrievals.length}`,
    ),
  );
  console.log(`  load ${await loadAverage()}`);
  await db.end();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
