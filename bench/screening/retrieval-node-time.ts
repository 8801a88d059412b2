/**
 * Where the screening retrieval's statement spends its time, node by node (diagnostic):
 *
 *   BENCH_SCREENING_DATABASE=case_desk_recall_1m npx ts-node --project bench/tsconfig.json bench/screening/retrieval-node-time.ts
 *
 * Names of BENCH_PLAN_QUERIES (200) random active entries, one letter changed, go through the app's
 * `CandidatePool` (its keys and statement) into `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)`. Printed: the
 * execution time's p50 / p95, and per plan node that names a CTE or a relation, its inclusive time
 * (actual total time × loops) at p50 / p95, with the buffers it touched; then the slowest queries with
 * how many keys they sent.
 */
import { Client } from 'pg';
import { capturedRetrievals } from './captured-retrievals';
import { ADMIN_URL, loadAverage, percentile } from '../support/harness';
import { databaseUrl } from '../../test/support/test-database-server';

const COUNT = Number(process.env.BENCH_PLAN_QUERIES ?? 200);

interface PlanNode {
  'Node Type': string;
  'Subplan Name'?: string;
  'CTE Name'?: string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Total Time': number;
  'Actual Loops': number;
  'Actual Rows': number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

function labelOf(n: PlanNode, path: string): string | null {
  if (n['Subplan Name']) return `${n['Subplan Name']} (${n['Node Type']})`;
  if (n['Index Name']) return `${path} > ${n['Node Type']} ${n['Index Name']}`;
  if (n['Relation Name']) return `${path} > ${n['Node Type']} ${n['Relation Name']}`;
  if (n['Node Type'] === 'CTE Scan') return `${path} > CTE Scan ${n['CTE Name']}`;
  return null;
}

function walk(n: PlanNode, path: string, out: Map<string, { ms: number; rows: number; buffers: number }>) {
  const label = labelOf(n, path);
  const here = n['Subplan Name'] ?? path;
  if (label) {
    const prev = out.get(label) ?? { ms: 0, rows: 0, buffers: 0 };
    out.set(label, {
      ms: prev.ms + n['Actual Total Time'] * n['Actual Loops'],
      rows: prev.rows + n['Actual Rows'] * n['Actual Loops'],
      buffers: prev.buffers + (n['Shared Hit Blocks'] ?? 0) + (n['Shared Read Blocks'] ?? 0),
    });
  }
  for (const child of n.Plans ?? []) walk(child, here, out);
}

async function main() {
  const name = process.env.BENCH_SCREENING_DATABASE;
  if (!name) throw new Error('BENCH_SCREENING_DATABASE=<a loaded database> is required');
  const db = new Client({ connectionString: databaseUrl(ADMIN_URL, name) });
  await db.connect();
  console.log(`retrieval node times on ${name}, ${COUNT} queries; load ${await loadAverage()}`);
  const captured = await capturedRetrievals(db, COUNT);

  const execution: number[] = [];
  const perNode = new Map<string, number[]>();
  const buffers = new Map<string, number[]>();
  const slow: Array<{ ms: number; name: string; keys: number; rows: number }> = [];
  for (const q of captured) {
    const { rows: plan } = await db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${q.text}`, q.values);
    const top = plan[0]['QUERY PLAN'][0];
    execution.push(top['Execution Time']);
    const nodes = new Map<string, { ms: number; rows: number; buffers: number }>();
    walk(top.Plan, 'main', nodes);
    for (const [label, v] of nodes) {
      (perNode.get(label) ?? perNode.set(label, []).get(label)!).push(v.ms);
      (buffers.get(label) ?? buffers.set(label, []).get(label)!).push(v.buffers);
    }
    slow.push({
      ms: top['Execution Time'],
      name: q.name,
      keys: (q.values[1] as string[]).length,
      rows: top.Plan['Actual Rows'],
    });
  }
  const f = (x: number) => x.toFixed(2).padStart(7);
  console.log(`  execution p50 ${f(percentile(execution, 50))} ms  p95 ${f(percentile(execution, 95))} ms`);
  const labels = [...perNode.keys()].sort(
    (a, b) => percentile(perNode.get(b)!, 50) - percentile(perNode.get(a)!, 50),
  );
  for (const label of labels) {
    const xs = perNode.get(label)!;
    console.log(
      `  ${f(percentile(xs, 50))} ${f(percentile(xs, 95))} ms  buffers p50 ${String(percentile(buffers.get(label)!, 50)).padStart(6)}  ${label}`,
    );
  }
  slow.sort((a, b) => b.ms - a.ms);
  for (const s of slow.slice(0, 8))
    console.log(`  slow: ${f(s.ms)} ms  ${s.keys} keys  ${s.rows} rows  ${s.name}`);
  await db.end();
}

void main();
