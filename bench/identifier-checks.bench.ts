/**
 * `npm run bench:identifier-checks` (never part of `npm test`): does a hit/no-hit check of 1,000
 * identifiers answer in under 1 s against 10,000,000 indexed identifiers (issue 20)? Against the built
 * server on a throwaway real-PostgreSQL database of its own:
 *
 *   npm run build && npm run bench:identifier-checks
 *   BENCH_INDEXED=1000000 BENCH_RUNS=10 npm run bench:identifier-checks
 *
 * 1. bulk-loads BENCH_INDEXED (10,000,000) rows into `identifier_index` with `INSERT … SELECT
 *    generate_series` in chunks, its two indexes dropped during the load and built after (as a restore
 *    would), plus one `identifier_provenance` receipt (AMBER, before the row was indexed) for every 13th
 *    row, then VACUUM ANALYZE. Row g: 60 % phones, 20 % bank accounts, 15 % wallets, 5 % compounds; held
 *    by KH, MY, TH, VN, PH, LA, ID or KR in turn; every 7th as received (AMBER+STRICT) rather than own.
 *    The rows stand alone (no persons or requests behind them): a check reads only the index and
 *    provenance, never the records.
 * 2. signs in kr.officer and sends `POST /identifier-checks` of 1,000 phones to KH, MY and TH (the
 *    demo's multilateral body): 300 drawn from the indexed phones of those three, 700 that are not
 *    indexed; two warm-up checks, then BENCH_RUNS (15) timed ones, one at a time; prints median, p95
 *    and max end to end, the hits per partner (checked against what the rows say they must be), the
 *    same query's EXPLAIN ANALYZE, and the index's size.
 * The database is dropped at the end (BENCH_KEEP=1 keeps it).
 */
import { Client } from 'pg';
import { IdentifierCheckStore } from '../src/identifier-checks/identifier-check.store';
import {
  auditSigningKey,
  createBenchDatabase,
  loadAverage,
  median,
  percentile,
  signIn,
  startServer,
  tempDir,
} from './support/harness';

const INDEXED = Number(process.env.BENCH_INDEXED ?? 10_000_000);
const CHUNK = 1_000_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const HOLDERS = ['KH', 'MY', 'TH', 'VN', 'PH', 'LA', 'ID', 'KR'];
/** Asked by KR; all three are members of the demo's multilateral body. */
const PARTNERS = (process.env.BENCH_PARTNERS ?? 'KH,MY,TH').split(',');

/** Row g's phone (for g % 20 < 12): `+6` and g in ten digits. */
const phoneOf = (g: number) => `+6${String(g).padStart(10, '0')}`;
const holderOf = (g: number) => HOLDERS[g % HOLDERS.length]!;
const isPhone = (g: number) => g % 20 < 12;
/** A hit: the partner holds it as its own, and did not receive it (AMBER) before indexing it. */
const isHit = (g: number) => g < INDEXED && isPhone(g) && g % 7 !== 0 && g % 13 !== 0;

const LOAD = `
INSERT INTO identifier_index (match_key, kind, qualifier, borrowed_name, provenance_key, holder_country, standing,
                              handling_code, received_from, record_type, record_id, field, indexed_at)
SELECT CASE WHEN g % 20 < 12 THEN 'phone:+6' || lpad(g::text, 10, '0')
            WHEN g % 20 < 16 THEN 'bank_account:' || upper(to_hex(g * 2654435761 % 4294967296)) || lpad(g::text, 8, '0')
            WHEN g % 20 < 19 THEN 'wallet:0x' || md5(g::text) || lpad(to_hex(g), 8, '0')
            ELSE 'compound:compound ' || g END,
       CASE WHEN g % 20 < 12 THEN 'phone' WHEN g % 20 < 16 THEN 'bank_account' WHEN g % 20 < 19 THEN 'wallet' ELSE 'compound' END,
       CASE WHEN g % 20 BETWEEN 12 AND 15 THEN 'Bank ' || (g % 40) WHEN g % 20 BETWEEN 16 AND 18 THEN 'ethereum' END,
       CASE WHEN g % 20 BETWEEN 12 AND 15 THEN g % 9 = 0 END,
       'id:' || CASE WHEN g % 20 < 12 THEN '6' || lpad(g::text, 10, '0') ELSE upper(md5(g::text)) END,
       (ARRAY['KH','MY','TH','VN','PH','LA','ID','KR'])[1 + g % 8],
       CASE WHEN g % 7 = 0 THEN 'received' ELSE 'own' END,
       CASE WHEN g % 7 = 0 THEN 'AMBER+STRICT' END,
       CASE WHEN g % 7 = 0 THEN (ARRAY['KH','MY','TH','VN','PH','LA','ID','KR'])[1 + (g + 1) % 8] END,
       (ARRAY['person','request','asset_freeze_target','arrest'])[1 + g % 4],
       md5('record' || (g / 3))::uuid,
       CASE WHEN g % 20 < 12 THEN 'phones' ELSE 'identifiers.bankAccounts' END,
       now()
  FROM generate_series($1::bigint, $2::bigint - 1) AS g`;

/** Every 13th row was received under AMBER the day before it was indexed. */
const PROVENANCE = `
INSERT INTO identifier_provenance (identifier, receiving_country, released_by_country, originator_country,
                                   handling_code, via_type, via_id, released_at)
SELECT 'id:' || CASE WHEN g % 20 < 12 THEN '6' || lpad(g::text, 10, '0') ELSE upper(md5(g::text)) END,
       (ARRAY['KH','MY','TH','VN','PH','LA','ID','KR'])[1 + g % 8],
       (ARRAY['KH','MY','TH','VN','PH','LA','ID','KR'])[1 + (g + 3) % 8],
       (ARRAY['KH','MY','TH','VN','PH','LA','ID','KR'])[1 + (g + 3) % 8],
       'AMBER', 'case', md5('case' || g)::uuid, now() - interval '1 day'
  FROM generate_series($1::bigint, $2::bigint - 1) AS g WHERE g % 13 = 0`;

async function load(url: string): Promise<void> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    await db.query(`SET maintenance_work_mem = '512MB'`);
    await db.query(`ALTER TABLE identifier_index DROP CONSTRAINT identifier_index_row`);
    await db.query(`DROP INDEX identifier_index_key`);
    // Synthetic rows of records that do not exist: nothing for the correlation trigger to find (and,
    // without the key index, each received row would cost it a scan).
    await db.query(`ALTER TABLE identifier_index DISABLE TRIGGER identifier_index_correlate`);
    const started = Date.now();
    for (let from = 0; from < INDEXED; from += CHUNK) {
      const to = Math.min(INDEXED, from + CHUNK);
      await db.query(LOAD, [from, to]);
      await db.query(PROVENANCE, [from, to]);
      process.stdout.write(
        `\r  loaded ${to.toLocaleString('en')} rows (${Math.round((Date.now() - started) / 1000)} s)`,
      );
    }
    console.log('');
    const indexing = Date.now();
    await db.query(
      `ALTER TABLE identifier_index ADD CONSTRAINT identifier_index_row PRIMARY KEY (record_type, record_id, holder_country, field, match_key)`,
    );
    await db.query(`CREATE INDEX identifier_index_key ON identifier_index (match_key, holder_country)`);
    await db.query(`ALTER TABLE identifier_index ENABLE TRIGGER identifier_index_correlate`);
    console.log(`  indexes built in ${Math.round((Date.now() - indexing) / 1000)} s`);
    await db.query(`VACUUM ANALYZE identifier_index`);
    await db.query(`VACUUM ANALYZE identifier_provenance`);
    const [sizes] = (
      await db.query(
        `SELECT count(*)::bigint AS rows, pg_size_pretty(pg_relation_size('identifier_index')) AS heap,
                pg_size_pretty(pg_relation_size('identifier_index_key')) AS key_index,
                pg_size_pretty(pg_relation_size('identifier_index_row')) AS row_index
           FROM identifier_index`,
      )
    ).rows;
    console.log(
      `  identifier_index: ${Number(sizes.rows).toLocaleString('en')} rows, heap ${sizes.heap}, ` +
        `(match_key, holder) index ${sizes.key_index}, row index ${sizes.row_index}`,
    );
  } finally {
    await db.end();
  }
}

/** 1,000 phones: 300 indexed ones held by KH, MY or TH (every 7th received, every 13th received first), 700 not indexed. */
function checkPhones(): number[] {
  const held: number[] = [];
  // Spread over the whole table (7919 is prime, so the steps do not cycle early).
  for (let i = 0; held.length < 300; i++) {
    const candidate = (i * 7919 + 13) % INDEXED;
    if (isPhone(candidate) && PARTNERS.includes(holderOf(candidate))) held.push(candidate);
    if (i > 1_000_000) throw new Error('too few phones indexed');
  }
  const missing = Array.from({ length: 700 }, (_, i) => INDEXED + 1 + i * 17);
  return [...held, ...missing];
}

async function main(): Promise<void> {
  console.log(
    `identifier checks: ${INDEXED.toLocaleString('en')} indexed identifiers, ${RUNS} timed checks of 1,000`,
  );
  const db = await createBenchDatabase();
  const dir = tempDir();
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    await load(db.url);
    server = await startServer({ databaseUrl: db.url, dataDir: dir.path, signingKey: auditSigningKey() });
    const kr = await signIn(server.base, 'kr.officer');
    const phones = checkPhones();
    const body = {
      partners: PARTNERS,
      identifiers: phones.map((g) => ({ kind: 'phone', value: phoneOf(g) })),
    };
    const expected = Object.fromEntries(
      PARTNERS.map((p) => [p, phones.filter((g) => isHit(g) && holderOf(g) === p).length]),
    );
    const timings: number[] = [];
    for (let run = -2; run < RUNS; run++) {
      const started = performance.now();
      const res = await kr.call('POST', '/identifier-checks', body);
      const ms = performance.now() - started;
      if (res.status !== 201)
        throw new Error(`check: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
      const hits = Object.fromEntries(
        (res.body.partners as Array<{ country: string; hits: number }>).map((p) => [p.country, p.hits]),
      );
      if (JSON.stringify(hits) !== JSON.stringify(expected))
        throw new Error(`hits ${JSON.stringify(hits)}, expected ${JSON.stringify(expected)}`);
      if (run >= 0) timings.push(ms);
    }
    console.log(`  hits per partner (as the rows say they must be): ${JSON.stringify(expected)}`);
    console.log(
      `  POST /identifier-checks, 1,000 phones × ${PARTNERS.length} partners, end to end: median ${median(timings).toFixed(0)} ms, ` +
        `p95 ${percentile(timings, 95).toFixed(0)} ms, max ${Math.max(...timings).toFixed(0)} ms (target < 1000 ms)`,
    );
    await explain(db.url, phones);
    console.log(`  load average: ${await loadAverage()}`);
  } finally {
    await server?.stop();
    dir.remove();
    await db.drop();
  }
}

/** The hit query of `IdentifierCheckStore.hits`, as the app sends it, with EXPLAIN ANALYZE. */
async function explain(url: string, phones: number[]): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    let captured: { sql: string; params: unknown[] } | undefined;
    const spy = { query: async (sql: string, params: unknown[]) => ((captured = { sql, params }), []) };
    await new IdentifierCheckStore(spy as never).hits(
      phones.map((g) => `phone:${phoneOf(g)}`),
      PARTNERS,
    );
    const plan = await c.query(`EXPLAIN (ANALYZE, BUFFERS) ${captured!.sql}`, captured!.params);
    const lines = plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']);
    console.log(`  hit query alone: ${lines.find((l: string) => l.startsWith('Execution Time'))}`);
    console.log(
      lines
        .slice(0, 14)
        .map((l: string) => `    ${l}`)
        .join('\n'),
    );
  } finally {
    await c.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
