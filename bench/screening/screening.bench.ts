/**
 * `npm run bench:screening` (never part of `npm test`): border screening against a million active
 * blacklist entries. On a throwaway real-PostgreSQL database, with the built server:
 *
 *   npm run build && npm run bench:screening
 *   BENCH_SCREENING_ENTRIES=100000 BENCH_RUNS=2 npm run bench:screening     # a quick run
 *
 * 1. KR proposes two synthetic entries through the API and KH activates them; the bulk loader then
 *    writes copies of them and BENCH_SCREENING_ENTRIES (1,000,000) active entries in all for KH, with
 *    their persons and search keys derived by the app's own code, and the script checks that the copies'
 *    rows equal the API's rows column for column; VACUUM ANALYZE.
 * 2. 500 checkpoint queries (the matching benchmark's spelling variants of listed names: case and
 *    accents, swapped order, spacing and hyphens, romanisation variants, original script, typos and
 *    transpositions, combinations; full, partial or nearby dates of birth) are sent as kh.screener,
 *    one at a time, to `POST /api/v1/screenings` after 50 warm-up queries; BENCH_RUNS (2) passes.
 * 3. The same queries through the app's CandidatePool (retrieval SQL alone) and rankCandidates
 *    (scoring alone) in this process, so the split is visible.
 * Prints p50/p95/p99, recall, candidate counts, EXPLAIN ANALYZE of one retrieval, and the sizes of
 * blacklist_search_key and of the database.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { queryKeys } from '../../src/screening/entry-keys';
import { RECOUNT_SEARCH_KEYS_SQL } from '../../src/blacklist/rebuild-search-keys';
import { fillMissingScreeningProfiles } from '../../src/blacklist/screening-profile';
import { Clock } from '../../src/common/time/clock';
import type { TransactionService } from '../../src/database/transaction.service';
import { CANDIDATE_BUDGET, CandidatePool } from '../../src/screening/candidate-pool';
import { normaliseDocumentNumber, rankCandidates, type ScreeningQuery } from '../../src/screening/matching';
import { ORIGINS, pick, seededRandom, type Origin } from '../screening-matching.population';
import { queryFor, VARIANT_KINDS } from '../screening-matching.variants';
import {
  ADMIN_URL,
  auditSigningKey,
  createBenchDatabase,
  loadAverage,
  median,
  percentile,
  signIn,
  startServer,
  tempDir,
} from '../support/harness';
import { databaseUrl } from '../../test/support/test-database-server';
import { insertBatch, withoutIndexes, type BulkTarget } from './bulk-load';
import { proposeThroughApi, rowDifferences } from './reference-entries';
import { regionalName, syntheticEntry, type SyntheticEntry } from './synthetic-blacklist';

const ENTRIES = Number(process.env.BENCH_SCREENING_ENTRIES ?? 1_000_000);
const QUERIES = Number(process.env.BENCH_SCREENING_QUERIES ?? 500);
// Recall "among those scored" is also counted over this many queries of the same stream (the timed
// ones first), through the retrieval SQL alone: 500 give ±0.6 points (session 13), 3,000 ±0.2.
const RECALL_QUERIES = Math.max(QUERIES, Number(process.env.BENCH_RECALL_QUERIES ?? 3000));
const WARM_UP = 50;
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const BATCH = 5_000;
const THRESHOLD = 0.5; // the app's default SCREENING_THRESHOLD (calibrated scores)
const SAMPLE_PER_ORIGIN = 400;

const random = seededRandom(Number(process.env.BENCH_SEED ?? 20261122));
const ms = (x: number) => `${x.toFixed(1)} ms`;
const pct = (part: number, whole: number) => `${((100 * part) / Math.max(1, whole)).toFixed(1)} %`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const latencies = (xs: number[]) =>
  `p50 ${ms(percentile(xs, 50))}  p95 ${ms(percentile(xs, 95))}  p99 ${ms(percentile(xs, 99))}  max ${ms(Math.max(...xs))}`;

interface BenchQuery {
  target: SyntheticEntry;
  kind: string;
  query: ScreeningQuery;
}

/**
 * Generates and inserts the entries (only generates them when `target` is null: a kept database is
 * reused); keeps a per-origin sample (reservoir) to build queries from.
 */
async function loadEntries(db: Client, target: BulkTarget | null, copies: SyntheticEntry[]) {
  const distinct = new Set<string>();
  const samples = new Map<Origin, SyntheticEntry[]>(ORIGINS.map((o) => [o, []]));
  const seen = new Map<Origin, number>(ORIGINS.map((o) => [o, 0]));
  let keyRows = 0;
  let position = 2; // 0 and 1 are the entries proposed through the API
  const started = performance.now();
  const insert = (batch: Array<{ entry: SyntheticEntry; position: number }>) =>
    target ? insertBatch(db, target, batch) : Promise.resolve(0);
  const indexesRebuilt = <T>(load: () => Promise<T>) =>
    target ? withoutIndexes(db, ['person', 'blacklist_entry', 'blacklist_search_key'], load) : load();
  await db.query(`SET session_replication_role = replica`); // rows are consistent by construction: skip FK triggers
  await indexesRebuilt(async () => {
    let pending: Promise<number> = Promise.resolve(0);
    let batch = copies.map((entry) => ({ entry, position: position++ }));
    for (let index = 0; position < ENTRIES; index++) {
      const entry = syntheticEntry(regionalName(random), index, random);
      distinct.add(entry.candidate.names[0]!.full);
      const n = (seen.get(entry.origin) ?? 0) + 1;
      seen.set(entry.origin, n);
      const sample = samples.get(entry.origin)!;
      if (sample.length < SAMPLE_PER_ORIGIN) sample.push(entry);
      else if (random() < SAMPLE_PER_ORIGIN / n) sample[Math.floor(random() * SAMPLE_PER_ORIGIN)] = entry;
      batch.push({ entry, position: position++ });
      if (batch.length >= BATCH) {
        keyRows += await pending; // one batch in PostgreSQL while the next is generated
        pending = insert(batch);
        batch = [];
        if (position % 100_000 < BATCH)
          console.log(`  ${position} entries (${((performance.now() - started) / 1000).toFixed(0)} s)`);
      }
    }
    keyRows += await pending;
    if (batch.length) keyRows += await insert(batch);
    console.log(`  rows in ${((performance.now() - started) / 1000).toFixed(0)} s; building indexes`);
    console.log(
      `  ${distinct.size} distinct names, ${(ENTRIES / distinct.size).toFixed(1)} entries per name on average`,
    );
  });
  await db.query(`SET session_replication_role = origin`);
  if (target) {
    for (const sql of RECOUNT_SEARCH_KEYS_SQL) await db.query(sql);
    // The bulk entries' (with their names' retrieval forms); the API's made theirs on activation.
    // Statistics first: without them the planner takes the bulk-loaded table for 5,000 rows and reads
    // every active entry for each batch of a thousand (session 12: ~230 profiles a second, an hour for
    // a million; ~1,800 a second once analysed).
    await db.query('ANALYZE blacklist_entry');
    await fillMissingScreeningProfiles(async (sql, parameters) => (await db.query(sql, parameters)).rows);
  }
  console.log(`loaded in ${((performance.now() - started) / 1000).toFixed(0)} s: ${keyRows} search keys`);
  return { samples, keyRows };
}

function buildQueries(samples: Map<Origin, SyntheticEntry[]>, count: number): BenchQuery[] {
  return Array.from({ length: count }, (_, i) => {
    const origin = pick(
      random,
      ORIGINS.filter((o) => samples.get(o)!.length > 0),
    );
    const target = pick(random, samples.get(origin)!);
    const kind = VARIANT_KINDS[i % VARIANT_KINDS.length]!;
    return { target, kind, query: queryFor(target, kind, random) };
  });
}

function requestBody(query: ScreeningQuery) {
  return {
    checkpoint: 'PNH-AIRPORT-ARR-3',
    names: query.names.map((name) => (typeof name === 'string' ? { full: name } : name)),
    ...(query.dateOfBirth ? { birthDate: query.dateOfBirth } : {}),
    ...(query.nationality ? { nationality: query.nationality } : {}),
  };
}

interface HttpPass {
  latencies: number[];
  top1: number;
  top1SameName: number;
  top10: number;
  returned: number[];
}

async function httpPass(base: string, token: string, queries: BenchQuery[]): Promise<HttpPass> {
  const pass: HttpPass = { latencies: [], top1: 0, top1SameName: 0, top10: 0, returned: [] };
  for (const { target, query } of queries) {
    const started = performance.now();
    const res = await fetch(`${base}/screenings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(requestBody(query)),
    });
    const body = (await res.json()) as {
      candidates: Array<{ entry: { entryId: string; names: Array<{ full: string }> } }>;
    };
    pass.latencies.push(performance.now() - started);
    if (res.status !== 201)
      throw new Error(`screening answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
    const ids = body.candidates.map((c) => c.entry.entryId);
    pass.returned.push(ids.length);
    if (ids[0] === target.entryId) pass.top1++;
    if (body.candidates[0]?.entry.names[0]?.full === target.candidate.names[0]!.full) pass.top1SameName++;
    if (ids.slice(0, 10).includes(target.entryId)) pass.top10++;
  }
  return pass;
}

interface SplitPass {
  retrieval: number[];
  scoring: number[];
  candidates: number[];
  inPool: number;
  missed: string[]; // the queries whose intended entry the retrieval did not return
  found: boolean[]; // per query: the intended entry is among those returned
}

/** The app's retrieval (CandidatePool, its SQL on one connection) and scoring, timed apart. */
/**
 * The app's transactions as the script's own connection: `manager.query` and the prepared statements
 * of `queryPrepared` (named, on this connection, as each pooled connection of the server has them).
 */
function scriptTransactions(db: Client): TransactionService {
  const manager = {
    query: (sql: string, params: unknown[]) => db.query(sql, params).then((r) => r.rows),
    connection: { driver: { master: db } },
  };
  return { manager } as unknown as TransactionService;
}

let serverTimesFile = '';
const serverTimesSeen: Record<string, number> = {};

/** The statements the server sent since the last call, with their times inside the server (ms). */
async function serverStatements(): Promise<Map<string, number[]>> {
  await new Promise((resolve) => setTimeout(resolve, 1200)); // the preload writes every 500 ms
  const all: Record<string, number[]> = existsSync(serverTimesFile)
    ? JSON.parse(readFileSync(serverTimesFile, 'utf8'))
    : {};
  const since = new Map<string, number[]>();
  for (const [key, times] of Object.entries(all)) {
    const fresh = times.slice(serverTimesSeen[key] ?? 0);
    if (fresh.length) since.set(key, fresh);
    serverTimesSeen[key] = times.length;
  }
  return since;
}

/** The retrieval statement's times inside the server (`CANDIDATES_SQL`, by its first words). */
function retrievalInServer(statements: Map<string, number[]>): number[] {
  return [...statements].find(([key]) => key.startsWith('WITH query_key AS MATERIALIZED'))?.[1] ?? [0];
}

async function splitPass(db: Client, queries: BenchQuery[]): Promise<SplitPass> {
  const pool = new CandidatePool(scriptTransactions(db), new Clock());
  const pass: SplitPass = { retrieval: [], scoring: [], candidates: [], inPool: 0, missed: [], found: [] };
  for (const { target, query, kind } of queries) {
    let started = performance.now();
    const candidates = await pool.activeCandidates(
      'KH',
      queryKeys(query.names, undefined, query.dateOfBirth),
      query.names,
    );
    pass.retrieval.push(performance.now() - started);
    started = performance.now();
    rankCandidates(query, candidates, { threshold: THRESHOLD });
    pass.scoring.push(performance.now() - started);
    pass.candidates.push(candidates.length);
    const found = candidates.some((c) => c.id === target.entryId);
    pass.found.push(found);
    if (found) pass.inPool++;
    else
      pass.missed.push(
        `${kind}: "${String(query.names[0])}" for ${target.candidate.names[0]!.full}` +
          (process.env.BENCH_SHOW_MISSES ? await whereItRanked(db, query, target.entryId) : ''),
      );
  }
  return pass;
}

/**
 * Why a query missed its entry (BENCH_SHOW_MISSES): the entry's place by key weight among every entry
 * the probed keys reach (as CANDIDATES_SQL reads them, before its cut at CANDIDATE_BUDGET.fetched), the
 * weight of the last one fetched, and the query keys the entry holds with their holders ("*": probed).
 */
async function whereItRanked(db: Client, query: ScreeningQuery, entryId: string): Promise<string> {
  const keys = queryKeys(query.names, undefined, query.dateOfBirth);
  const budget = CANDIDATE_BUDGET.holdersRead;
  const { rows } = await db.query(
    `WITH query_key AS MATERIALIZED (
       SELECT c.key, c.entries AS holders, sum(c.entries) OVER (ORDER BY c.entries, c.key) - c.entries AS rarer,
              round(1e6 * power(1 + ln($2::float8 / least(c.entries, $2)), 2))::int8 AS weight
         FROM blacklist_search_key_count c WHERE c.banning_country = 'KH' AND c.key = ANY($1::text[]) AND c.entries > 0
     ), hits AS (
       SELECT k.entry_id, sum(q.weight)::int8 AS weight
         FROM query_key q CROSS JOIN LATERAL (SELECT k.entry_id FROM blacklist_search_key k
                                               WHERE k.banning_country = 'KH' AND k.key = q.key LIMIT $2) k
        WHERE q.rarer < $2 GROUP BY k.entry_id
     ), ranked AS (SELECT entry_id, weight, row_number() OVER (ORDER BY weight DESC, entry_id) AS place FROM hits)
     SELECT (SELECT place FROM ranked WHERE entry_id = $3) AS place,
            (SELECT count(*) FROM ranked) AS reached,
            (SELECT weight FROM ranked WHERE place = $4) AS last_fetched,
            (SELECT weight FROM ranked WHERE entry_id = $3) AS weight,
            (SELECT string_agg(q.key || ' ' || q.holders || CASE WHEN q.rarer < $2 THEN '*' ELSE '' END, ', ' ORDER BY q.holders)
               FROM query_key q JOIN blacklist_search_key k ON k.banning_country = 'KH' AND k.key = q.key AND k.entry_id = $3) AS shared`,
    [keys, budget, entryId, CANDIDATE_BUDGET.fetched],
  );
  const r = rows[0];
  return `\n        place ${r.place ?? 'not reached'} of ${r.reached} (weight ${r.weight ?? '-'}; the last fetched ${r.last_fetched ?? '-'}); shares: ${r.shared ?? 'nothing'}`;
}

async function explainRetrieval(db: Client, query: ScreeningQuery) {
  const captured: { sql: string; params: unknown[] }[] = [];
  const capture = {
    query: async (q: { text: string; values: unknown[] }) => (
      captured.push({ sql: q.text, params: q.values }),
      { rows: [] }
    ),
  };
  await new CandidatePool(scriptTransactions(capture as unknown as Client), new Clock()).activeCandidates(
    'KH',
    queryKeys(query.names, undefined, query.dateOfBirth),
    query.names,
  );
  const { sql, params } = captured[0]!;
  const { rows } = await db.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, params);
  return rows.map((r) => `    ${r['QUERY PLAN']}`).join('\n');
}

async function sizes(db: Client) {
  const { rows } = await db.query(
    `SELECT pg_relation_size('blacklist_search_key') AS keys_table, pg_indexes_size('blacklist_search_key') AS keys_indexes,
            pg_total_relation_size('blacklist_search_key_count') AS counts,
            pg_total_relation_size('person') AS person, pg_total_relation_size('blacklist_entry') AS entry,
            pg_database_size(current_database()) AS database,
            (SELECT count(*) FROM blacklist_entry WHERE status = 'active') AS active`,
  );
  const r = rows[0];
  return (
    `active entries ${r.active}; blacklist_search_key table ${mb(r.keys_table)}, its indexes ${mb(r.keys_indexes)}; ` +
    `blacklist_search_key_count with its index ${mb(r.counts)}; ` +
    `person ${mb(r.person)} and blacklist_entry ${mb(r.entry)} with indexes; whole database ${mb(r.database)}`
  );
}

async function main() {
  console.log(
    `bench:screening — ${ENTRIES} active entries, ${QUERIES} queries, ${RUNS} runs; load ${await loadAverage()}`,
  );
  const reused = process.env.BENCH_SCREENING_DATABASE;
  const database = reused
    ? { name: reused, url: databaseUrl(ADMIN_URL, reused), drop: async () => undefined }
    : await createBenchDatabase();
  const dataDir = tempDir();
  const server = await startServer({
    databaseUrl: database.url,
    dataDir: dataDir.path,
    signingKey: auditSigningKey(),
    // Every statement the server sends, timed inside it (`bench/support/time-queries.js`).
    nodeArgs: ['-r', join(__dirname, '../support/time-queries.js')],
    env: { BENCH_QUERY_TIMES_FILE: join(dataDir.path, 'query-times.json') },
  });
  serverTimesFile = join(dataDir.path, 'query-times.json');
  const db = new Client({ connectionString: database.url });
  await db.connect();
  try {
    const [krOfficer, krLiaison, khLiaison, screener] = await Promise.all(
      ['kr.officer', 'kr.liaison', 'kh.liaison', 'kh.screener'].map((u) => signIn(server.base, u)),
    );
    const referenceRandom = seededRandom(7);
    const references = [0, 1].map((i) =>
      syntheticEntry(regionalName(referenceRandom), 90_000_000 + i, random),
    );
    // Copies of the API's entries (same person, new ids) go first: their rows must equal the API's.
    const copies = references.map((entry, i) => syntheticEntry(entry, 90_000_000 + i, () => 0));
    copies.forEach((copy, i) =>
      Object.assign(copy.candidate, { ...references[i]!.candidate, id: copy.entryId }),
    );
    if (reused) {
      // The same seed gives the same entries; their ids are found by their unique passport numbers.
      const { samples } = await loadEntries(db, null, copies);
      for (const entry of [...samples.values()].flat()) {
        // Through the passport's search key: one index look-up, not a search of the persons.
        const { rows } = await db.query(
          `SELECT entry_id AS id FROM blacklist_search_key WHERE banning_country = 'KH' AND key = $1`,
          [`d:${normaliseDocumentNumber(entry.candidate.documents![0]!.number)}`],
        );
        entry.entryId = rows[0].id;
      }
      await measureScreening(db, server.base, screener.token, samples);
      return;
    }
    const { proposalId, entryIds } = await proposeThroughApi({ krOfficer, krLiaison, khLiaison }, references);
    const users = await db.query(
      `SELECT username, id FROM app_user WHERE username IN ('kr.officer', 'kh.liaison')`,
    );
    const userId = (name: string) => users.rows.find((u) => u.username === name)!.id as string;
    const target: BulkTarget = {
      proposalId,
      proposingCountry: 'KR',
      banningCountry: 'KH',
      proposerId: userId('kr.officer'),
      deciderId: userId('kh.liaison'),
    };
    const { samples } = await loadEntries(db, target, copies);
    for (const [i, copy] of copies.entries()) {
      const differences = await rowDifferences(db, entryIds[i]!, copy.entryId);
      if (differences.length)
        throw new Error(`bulk rows differ from the API's in: ${differences.join(', ')}`);
    }
    console.log('bulk rows equal the rows the API wrote for the same persons (person, entry, search keys)');
    const started = performance.now();
    await db.query('VACUUM ANALYZE');
    console.log(`VACUUM ANALYZE in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    // A new sign-in: the one from before the load (~30 min at 1 M) has outlived its 15-minute token.
    await measureScreening(db, server.base, (await signIn(server.base, 'kh.screener')).token, samples);
  } finally {
    await db.end();
    await server.stop();
    dataDir.remove();
    await database.drop();
  }
}

async function measureScreening(
  db: Client,
  base: string,
  token: string,
  samples: Map<Origin, SyntheticEntry[]>,
) {
  console.log(await sizes(db));
  let started = performance.now();
  // The recall set first (its first QUERIES are the timed ones, the same as before session 13), then
  // the warm-up from the same stream.
  const recallQueries = buildQueries(samples, RECALL_QUERIES);
  const queries = recallQueries.slice(0, QUERIES);
  const warmUp = buildQueries(samples, WARM_UP);
  console.log(`EXPLAIN ANALYZE of the retrieval for "${queries[0]!.query.names[0]}":`);
  console.log(await explainRetrieval(db, queries[0]!.query));
  await httpPass(base, token, warmUp);
  await serverStatements();
  await splitPass(db, warmUp);

  const http: HttpPass[] = [];
  const split: SplitPass[] = [];
  const inServer: Array<Map<string, number[]>> = [];
  for (let run = 1; run <= RUNS; run++) {
    started = performance.now();
    http.push(await httpPass(base, token, queries));
    const statements = await serverStatements();
    inServer.push(statements);
    split.push(await splitPass(db, queries));
    const h = http[http.length - 1]!;
    const s = split[split.length - 1]!;
    console.log(
      `run ${run} (${((performance.now() - started) / 1000).toFixed(0)} s, load ${await loadAverage()})`,
    );
    console.log(`  POST /screenings  ${latencies(h.latencies)}`);
    const st = inServer[inServer.length - 1]!;
    const sent = [...st.values()].reduce((n, xs) => n + xs.length, 0);
    console.log(`  statements sent by the server per screening: ${(sent / QUERIES).toFixed(2)}`);
    for (const [key, xs] of [...st].sort((a, b) => b[1].length - a[1].length))
      if (xs.length >= QUERIES / 20)
        console.log(`    ${(xs.length / QUERIES).toFixed(2)} × ${key.padEnd(60)} in server ${latencies(xs)}`);
    console.log(`  retrieval SQL     ${latencies(s.retrieval)}`);
    console.log(`  scoring           ${latencies(s.scoring)}`);
  }
  const med = (pick: (run: number) => number[], p: number) =>
    median(Array.from({ length: RUNS }, (_, run) => percentile(pick(run), p)));
  const line = (label: string, pickRun: (run: number) => number[]) =>
    console.log(
      `  ${label.padEnd(18)} p50 ${ms(med(pickRun, 50))}  p95 ${ms(med(pickRun, 95))}  p99 ${ms(med(pickRun, 99))}`,
    );
  console.log(`\nMedians of ${RUNS} runs (${QUERIES} sequential queries each):`);
  line('POST /screenings', (r) => http[r]!.latencies);
  line('retrieval (server)', (r) => retrievalInServer(inServer[r]!));
  line('retrieval SQL', (r) => split[r]!.retrieval);
  line('scoring', (r) => split[r]!.scoring);
  const last = http[RUNS - 1]!;
  const lastSplit = split[RUNS - 1]!;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(
    `recall: intended entry first ${pct(last.top1, QUERIES)}, in the top 10 ${pct(last.top10, QUERIES)}, ` +
      `among the candidates scored ${pct(lastSplit.inPool, QUERIES)}; an entry with the intended name first ` +
      `${pct(last.top1SameName, QUERIES)}`,
  );
  console.log(
    `candidates scored per query: mean ${mean(lastSplit.candidates).toFixed(0)}, max ${Math.max(...lastSplit.candidates)}; ` +
      `returned above the threshold: mean ${mean(last.returned).toFixed(1)}`,
  );
  console.log(`intended entries not among those scored (last run):\n    ${lastSplit.missed.join('\n    ')}`);
  if (RECALL_QUERIES > QUERIES) {
    started = performance.now();
    const wide = await splitPass(db, recallQueries);
    const byKind = new Map<string, { n: number; found: number }>();
    recallQueries.forEach(({ kind }, i) => {
      const k = byKind.get(kind) ?? { n: 0, found: 0 };
      k.n++;
      k.found += +wide.found[i]!;
      byKind.set(kind, k);
    });
    console.log(
      `retrieval recall over ${RECALL_QUERIES} queries of the same stream (the ${QUERIES} above first; SQL alone, ` +
        `${((performance.now() - started) / 1000).toFixed(0)} s): intended entry among the candidates scored ` +
        `${((100 * wide.inPool) / RECALL_QUERIES).toFixed(2)} % (${RECALL_QUERIES - wide.inPool} missed), ` +
        `${mean(wide.candidates).toFixed(0)} scored per query`,
    );
    for (const [kind, k] of [...byKind].sort())
      console.log(`    ${kind.padEnd(32)} ${k.n} queries  ${((100 * k.found) / k.n).toFixed(1)} %`);
    // BENCH_SHOW_MISSES=1: every query of the wide count whose intended entry was not scored.
    if (process.env.BENCH_SHOW_MISSES) console.log(`    missed:\n      ${wide.missed.join('\n      ')}`);
  }
  const buckets = [0, 250, 1000, 1999, Infinity];
  for (let b = 0; b < buckets.length - 1; b++) {
    const idx = lastSplit.candidates.flatMap((n, i) => (n >= buckets[b]! && n < buckets[b + 1]! ? [i] : []));
    if (idx.length)
      console.log(
        `  ${String(buckets[b]).padStart(4)}–${buckets[b + 1]} candidates: ${idx.length} queries, ` +
          `scoring median ${ms(median(idx.map((i) => lastSplit.scoring[i]!)))}, retrieval median ${ms(median(idx.map((i) => lastSplit.retrieval[i]!)))}`,
      );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
