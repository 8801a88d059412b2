/**
 * The retrieval model (`retrieval-model.ts`) and the real retrieval SQL (`CandidatePool`) on the SAME
 * population and the SAME queries, query by query (session 13: the model said 99.0 %, the million-entry
 * bench 98.2 %; is it the SQL, the population or the query set?).
 *
 * The population and the queries are made exactly as `npm run bench:screening` makes them (its seed,
 * its reference entries, its reservoir samples and query stream), and each entry gets its database id
 * (found by its unique passport key), which the model uses for the order holders are read in and for
 * the tie-break, as the SQL does (`ORDER BY weight DESC, entry_id`). So the model's picks should equal
 * the SQL's exactly; any query where they differ is printed with what differs.
 *
 *   BENCH_SCREENING_DATABASE=case_desk_recall_1m BENCH_SCREENING_QUERIES=3000 \
 *     npx ts-node --transpile-only --project bench/tsconfig.json bench/screening/model-vs-sql.ts
 *
 * BENCH_MODEL_BUDGETS (e.g. `400+100,600+100`): other fetched + most-alike budgets, modelled only.
 * BENCH_SQL=0: the model alone (no statement per query; the ids are still read from the database).
 * BENCH_DUMP_POOLS=<file>: each query's best 1,000 by key weight with their forms, in the format of
 * `retrieval-model.ts`'s dump, for `prescore-replay.ts` (pick rules replayed on the bench's population).
 */
import { writeFileSync } from 'node:fs';
import { Client } from 'pg';
import { entryKeys, queryKeys } from '../../src/screening/entry-keys';
import { CandidatePool, CANDIDATE_BUDGET } from '../../src/screening/candidate-pool';
import { Clock } from '../../src/common/time/clock';
import type { TransactionService } from '../../src/database/transaction.service';
import { normaliseDocumentNumber, type PersonName, type ScreeningQuery } from '../../src/screening/matching';
import { retrievalFormsOf } from '../../src/screening/matching/search-keys';
import { bestFormSimilarity } from '../../src/screening/matching/retrieval-similarity';
import { ORIGINS, pick, seededRandom, type Origin } from '../screening-matching.population';
import { queryFor, VARIANT_KINDS } from '../screening-matching.variants';
import { ADMIN_URL } from '../support/harness';
import { databaseUrl } from '../../test/support/test-database-server';
import { regionalName, syntheticEntry, type SyntheticEntry } from './synthetic-blacklist';

const ENTRIES = Number(process.env.BENCH_SCREENING_ENTRIES ?? 1_000_000);
const QUERIES = Number(process.env.BENCH_SCREENING_QUERIES ?? 500);
const SAMPLE_PER_ORIGIN = 400; // as screening.bench.ts
const H = CANDIDATE_BUDGET.holdersRead;
const DATABASE = process.env.BENCH_SCREENING_DATABASE;
if (!DATABASE) throw new Error('BENCH_SCREENING_DATABASE=<a database loaded by bench:screening>');
const BUDGETS = (process.env.BENCH_MODEL_BUDGETS ?? '')
  .split(',')
  .filter(Boolean)
  .map((b) => b.split('+').map(Number) as [number, number]);

const random = seededRandom(Number(process.env.BENCH_SEED ?? 20261122));

interface Entry {
  nameId: number;
  year: string | null;
  rank: number; // the database id's leading 48 bits: the order of uuids
  id: string;
  doc: string;
}

function population() {
  // screening.bench.ts: two references through the API (their dates and sexes from `random`), their
  // bulk copies, then the generated entries with a reservoir of 400 per origin.
  const referenceRandom = seededRandom(7);
  const references = [0, 1].map((i) => syntheticEntry(regionalName(referenceRandom), 90_000_000 + i, random));
  const all: SyntheticEntry[] = [...references, ...references];
  const samples = new Map<Origin, SyntheticEntry[]>(ORIGINS.map((o) => [o, []]));
  const seen = new Map<Origin, number>(ORIGINS.map((o) => [o, 0]));
  const sampleIndex = new Map<SyntheticEntry, number>();
  const nameIds = new Map<string, number>();
  const names: PersonName[][] = [];
  const entries: Entry[] = [];
  const add = (entry: SyntheticEntry) => {
    const signature = JSON.stringify(entry.candidate.names);
    let nameId = nameIds.get(signature);
    if (nameId === undefined) {
      nameId = names.length;
      nameIds.set(signature, nameId);
      names.push(entry.candidate.names);
    }
    entries.push({
      nameId,
      year: entry.candidate.dateOfBirth?.slice(0, 4) ?? null,
      rank: 0,
      id: '',
      doc: `d:${normaliseDocumentNumber(entry.candidate.documents![0]!.number)}`,
    });
    return entries.length - 1;
  };
  all.forEach(add);
  let position = 4; // 2 API entries, 2 copies
  for (let index = 0; position < ENTRIES; index++, position++) {
    const entry = syntheticEntry(regionalName(random), index, random);
    const i = add(entry);
    const n = (seen.get(entry.origin) ?? 0) + 1;
    seen.set(entry.origin, n);
    const sample = samples.get(entry.origin)!;
    if (sample.length < SAMPLE_PER_ORIGIN) {
      sample.push(entry);
      sampleIndex.set(entry, i);
    } else if (random() < SAMPLE_PER_ORIGIN / n) {
      const at = Math.floor(random() * SAMPLE_PER_ORIGIN);
      sampleIndex.delete(sample[at]!);
      sample[at] = entry;
      sampleIndex.set(entry, i);
    }
  }
  return { samples, sampleIndex, names, entries };
}

function buildQueries(samples: Map<Origin, SyntheticEntry[]>, count: number) {
  return Array.from({ length: count }, (_, i) => {
    const origin = pick(
      random,
      ORIGINS.filter((o) => samples.get(o)!.length > 0),
    );
    const target = pick(random, samples.get(origin)!);
    const kind = VARIANT_KINDS[i % VARIANT_KINDS.length]!;
    return { target, kind, query: queryFor(target, kind, random) as ScreeningQuery };
  });
}

const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

async function main() {
  const started = Date.now();
  const { samples, sampleIndex, names, entries } = population();
  const queries = buildQueries(samples, QUERIES);
  console.log(
    `${entries.length} entries, ${names.length} names, ${queries.length} queries (${(Date.now() - started) / 1000} s)`,
  );

  const db = new Client({ connectionString: databaseUrl(ADMIN_URL, DATABASE!) });
  await db.connect();
  const { rows } = await db.query(
    `SELECT key, entry_id::text AS id FROM blacklist_search_key
      WHERE banning_country = 'KH' AND key >= 'd:' AND key < 'd;'`,
  );
  const idsByDoc = new Map<string, string[]>();
  for (const r of rows) idsByDoc.set(r.key, [...(idsByDoc.get(r.key) ?? []), r.id]);
  for (const e of entries) {
    const ids = idsByDoc.get(e.doc);
    if (!ids?.length) throw new Error(`no entry in the database for ${e.doc}: not the bench's population`);
    e.id = ids.shift()!;
    e.rank = parseInt(e.id.replace(/-/g, '').slice(0, 12), 16);
  }
  console.log(`ids read (${(Date.now() - started) / 1000} s)`);

  // Keys: per name (no year), and the year keys per entry from a per-name template (as the model).
  const byName: number[][] = names.map(() => []);
  entries.forEach((e, i) => byName[e.nameId]!.push(i));
  const namesByKey = new Map<string, number[]>();
  const nameKeys = names.map((n) => entryKeys({ names: n, documents: [] }));
  nameKeys.forEach((keys, nameId) => {
    for (const key of keys) (namesByKey.get(key) ?? namesByKey.set(key, []).get(key)!).push(nameId);
  });
  const yearTemplates = new Map<number, string[]>();
  const entriesByKey = new Map<string, number[]>();
  entries.forEach((e, i) => {
    if (!e.year) return;
    let t = yearTemplates.get(e.nameId);
    if (!t) {
      t = entryKeys({ names: names[e.nameId]!, documents: [], birthDate: '0000' }).filter((k) =>
        /^[yb]:/.test(k),
      );
      yearTemplates.set(e.nameId, t);
    }
    for (const template of t) {
      const key = `${template.slice(0, -4)}${e.year}`;
      (entriesByKey.get(key) ?? entriesByKey.set(key, []).get(key)!).push(i);
    }
  });
  const holdersOf = (key: string) =>
    entriesByKey.get(key) ?? (namesByKey.get(key) ?? []).flatMap((nameId) => byName[nameId]!);
  const holderCount = new Map<string, number>();
  for (const [key, list] of entriesByKey) holderCount.set(key, list.length);
  for (const [key, nameIds] of namesByKey)
    holderCount.set(
      key,
      nameIds.reduce((n, nameId) => n + byName[nameId]!.length, 0),
    );
  // The first H holders of a key in id order (what the SQL's LIMIT reads from the index), made once.
  const readCache = new Map<string, number[]>();
  const firstHolders = (key: string) => {
    let read = readCache.get(key);
    if (!read) {
      read = holdersOf(key);
      if (read.length > H) read = [...read].sort((a, b) => entries[a]!.rank - entries[b]!.rank).slice(0, H);
      readCache.set(key, read);
    }
    return read;
  };
  const formsOf = new Map<number, string[]>();
  const forms = (nameId: number) =>
    formsOf.get(nameId) ?? formsOf.set(nameId, retrievalFormsOf(names[nameId]!)).get(nameId)!;
  console.log(`model built (${(Date.now() - started) / 1000} s)`);

  /** The SQL's steps in memory: holders read, weights, the fetched, by weight + ties, the most alike. */
  function modelPick(keys: string[], queryForms: string[], fetchedN: number, alikeN: number) {
    const counted = keys
      .map((key) => ({ key, holders: holderCount.get(key) ?? 0 }))
      .filter((k) => k.holders > 0)
      .sort((a, b) => a.holders - b.holders || utf8Order(a.key, b.key));
    const weight = new Map<number, number>();
    let rarer = 0;
    for (const { holders, key } of counted) {
      if (rarer >= H) break;
      rarer += holders;
      const read = firstHolders(key);
      const w = Math.round(1e6 * (1 + Math.log(H / Math.min(holders, H))) ** 2); // millionths, as the SQL
      for (const i of read) weight.set(i, (weight.get(i) ?? 0) + w);
    }
    const ranked = [...weight];
    ranked.sort((a, b) => b[1] - a[1] || entries[a[0]]!.rank - entries[b[0]]!.rank);
    const pool = ranked.slice(0, fetchedN);
    let taken = Math.min(CANDIDATE_BUDGET.scored, pool.length);
    const cut = pool[taken - 1]?.[1];
    while (taken < Math.min(CANDIDATE_BUDGET.scoredWithTies, pool.length) && pool[taken]![1] === cut) taken++;
    const alike = pool
      .slice(taken)
      .map(([i, w]) => ({ i, w, like: bestFormSimilarity(queryForms, forms(entries[i]!.nameId)) }))
      .sort((a, b) => b.like - a.like || b.w - a.w || entries[a.i]!.rank - entries[b.i]!.rank);
    // Those as alike and weighing the same as the alikeN-th (namesakes) too, up to the SQL's cap.
    let alikeTaken = Math.min(alikeN, alike.length);
    const lastAlike = alike[alikeTaken - 1];
    const alikeCap = Math.min(alike.length, Math.max(alikeN, CANDIDATE_BUDGET.mostAlikeWithTies));
    while (
      lastAlike &&
      alikeTaken < alikeCap &&
      alike[alikeTaken]!.like === lastAlike.like &&
      alike[alikeTaken]!.w === lastAlike.w
    )
      alikeTaken++;
    alike.length = alikeTaken;
    const picked = new Set([...pool.slice(0, taken).map(([i]) => i), ...alike.map((a) => a.i)]);
    return { picked, ranked, weight };
  }

  const transactions = {
    manager: {
      query: (sql: string, params: unknown[]) => db.query(sql, params).then((r) => r.rows),
      connection: { driver: { master: db } },
    },
  } as unknown as TransactionService;
  const pool = new CandidatePool(transactions, new Clock());
  const withSql = process.env.BENCH_SQL !== '0';

  let modelFound = 0;
  let sqlFound = 0;
  let same = 0;
  const first500 = { model: 0, sql: 0 };
  const budgetFound = BUDGETS.map(() => 0);
  const dump: Array<Record<string, unknown>> | null = process.env.BENCH_DUMP_POOLS ? [] : null;
  const dumpedForms: Record<number, string[]> = {};
  const byKind = new Map<string, { n: number; model: number; sql: number }>();
  const lines: string[] = [];
  for (const [q, { target, kind, query }] of queries.entries()) {
    const t = sampleIndex.get(target)!;
    const keys = queryKeys(query.names, undefined, query.dateOfBirth);
    const queryForms = retrievalFormsOf(query.names);
    const model = modelPick(keys, queryForms, CANDIDATE_BUDGET.fetched, CANDIDATE_BUDGET.mostAlike);
    const mFound = model.picked.has(t);
    modelFound += +mFound;
    if (q < 500) first500.model += +mFound;
    BUDGETS.forEach(([f, a], b) => (budgetFound[b]! += +modelPick(keys, queryForms, f, a).picked.has(t)));
    const k = byKind.get(kind) ?? { n: 0, model: 0, sql: 0 };
    k.n++;
    k.model += +mFound;
    byKind.set(kind, k);
    if (dump) {
      const place = model.ranked.findIndex(([i]) => i === t);
      dump.push({
        queryForms,
        place,
        kind,
        origin: target.origin,
        why: '',
        q: String(query.names[0]),
        pool: model.ranked.slice(0, 1000).map(([i, w]) => {
          const nameId = entries[i]!.nameId;
          dumpedForms[nameId] ??= forms(nameId);
          return [i === t ? 1 : 0, w, nameId];
        }),
      });
    }
    if (!withSql) continue;
    const sqlIds = new Set((await pool.activeCandidates('KH', keys, query.names)).map((c) => c.id));
    const sFound = sqlIds.has(entries[t]!.id);
    sqlFound += +sFound;
    if (q < 500) first500.sql += +sFound;
    k.sql += +sFound;
    const modelIds = new Set([...model.picked].map((i) => entries[i]!.id));
    const onlySql = [...sqlIds].filter((id) => !modelIds.has(id)).length;
    const onlyModel = [...modelIds].filter((id) => !sqlIds.has(id)).length;
    if (!onlySql && !onlyModel) same++;
    if (onlySql || onlyModel || mFound !== sFound) {
      const place = model.ranked.findIndex(([i]) => i === t);
      lines.push(
        `  #${q} ${kind}: "${String(query.names[0])}" for ${names[entries[t]!.nameId]![0]!.full}: model ${mFound ? 'found' : 'missed'}, ` +
          `SQL ${sFound ? 'found' : 'missed'}; ${onlySql} only in the SQL's picks, ${onlyModel} only in the model's ` +
          `(${sqlIds.size} vs ${model.picked.size}); target ${place + 1}th by weight ${model.weight.get(t)?.toFixed(3) ?? '-'}`,
      );
    }
    if ((q + 1) % 250 === 0) console.log(`  ${q + 1} queries (${(Date.now() - started) / 1000} s)`);
  }
  await db.end();
  if (dump) {
    writeFileSync(process.env.BENCH_DUMP_POOLS!, JSON.stringify({ queries: dump, forms: dumpedForms }));
    console.log(`pools written to ${process.env.BENCH_DUMP_POOLS}`);
  }
  const pct = (n: number) => `${((100 * n) / queries.length).toFixed(2)} %`;
  console.log(
    `\nintended entry among those picked for scoring, ${queries.length} queries of the bench's stream:`,
  );
  console.log(`  model ${pct(modelFound)} (${queries.length - modelFound} missed)`);
  if (withSql)
    console.log(
      `  SQL   ${pct(sqlFound)} (${queries.length - sqlFound} missed); picks identical in ${same} queries`,
    );
  BUDGETS.forEach(([f, a], b) =>
    console.log(
      `  model ${f} fetched + ${a} most alike: ${pct(budgetFound[b]!)} (${queries.length - budgetFound[b]!} missed)`,
    ),
  );
  for (const [kind, k] of [...byKind].sort())
    console.log(
      `  ${kind.padEnd(34)} ${k.n}  model ${((100 * k.model) / k.n).toFixed(1)} %  SQL ${((100 * k.sql) / k.n).toFixed(1)} %`,
    );
  if (lines.length)
    console.log(`queries where they differ (${lines.length}):\n${lines.slice(0, 60).join('\n')}`);
  // The first 500 are the bench's own queries (same stream), in the bench's order.
  const first = Math.min(500, queries.length);
  console.log(
    `the first ${first} (the queries npm run bench:screening sends): model ${first500.model} found, SQL ${first500.sql} found`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
