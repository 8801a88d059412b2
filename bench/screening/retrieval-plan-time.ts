/**
 * The screening retrieval's planning against its execution, on a loaded database (diagnostic):
 *
 *   BENCH_SCREENING_DATABASE=case_desk_bench_… npx ts-node --project bench/tsconfig.json bench/screening/retrieval-plan-time.ts
 *
 * Names of BENCH_PLAN_QUERIES (200) random active entries, with one letter changed, are retrieved
 * (a) with `EXPLAIN (ANALYZE, SUMMARY)`: PostgreSQL's own Planning Time and Execution Time;
 * (b) unnamed, as `manager.query` sends them: wall time on one connection;
 * (c) as the named prepared statement `queryPrepared` sends: wall time on one connection, after five
 *     executions PostgreSQL may switch to a generic plan (which one it used is printed).
 * (b) and (c) alternate query by query, so the machine's load hits both alike.
 */
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { capturedRetrievals } from './captured-retrievals';
import { ADMIN_URL, loadAverage, percentile } from '../support/harness';
import { databaseUrl } from '../../test/support/test-database-server';

const COUNT = Number(process.env.BENCH_PLAN_QUERIES ?? 200);
const ms = (x: number) => `${x.toFixed(2)} ms`;
const line = (label: string, xs: number[]) =>
  console.log(
    `  ${label.padEnd(34)} p50 ${ms(percentile(xs, 50))}  p95 ${ms(percentile(xs, 95))}  p99 ${ms(percentile(xs, 99))}`,
  );

async function main() {
  const name = process.env.BENCH_SCREENING_DATABASE;
  if (!name) throw new Error('BENCH_SCREENING_DATABASE=<a loaded database> is required');
  const db = new Client({ connectionString: databaseUrl(ADMIN_URL, name) });
  await db.connect();
  console.log(`retrieval planning vs execution on ${name}, ${COUNT} queries; load ${await loadAverage()}`);
  const captured = await capturedRetrievals(db, COUNT);

  const planning: number[] = [];
  const execution: number[] = [];
  for (const q of captured) {
    const { rows: plan } = await db.query(`EXPLAIN (ANALYZE, SUMMARY, FORMAT JSON) ${q.text}`, q.values);
    planning.push(plan[0]['QUERY PLAN'][0]['Planning Time']);
    execution.push(plan[0]['QUERY PLAN'][0]['Execution Time']);
  }
  const unnamed: number[] = [];
  const prepared: number[] = [];
  for (const q of captured) {
    let started = performance.now();
    await db.query(q.text, q.values);
    unnamed.push(performance.now() - started);
    started = performance.now();
    await db.query({ name: 'retrieval_plan_time', text: q.text, values: q.values });
    prepared.push(performance.now() - started);
  }
  const { rows: stats } = await db.query(
    `SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = 'retrieval_plan_time'`,
  );
  line('EXPLAIN ANALYZE: Planning Time', planning);
  line('EXPLAIN ANALYZE: Execution Time', execution);
  line('unnamed (manager.query), wall', unnamed);
  line('named prepared (queryPrepared), wall', prepared);
  console.log(
    `  the prepared statement ran ${stats[0].generic_plans} generic and ${stats[0].custom_plans} custom plans; load ${await loadAverage()}`,
  );
  await db.end();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
