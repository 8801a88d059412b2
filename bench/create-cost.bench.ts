/**
 * `npm run bench:create-cost` (never part of `npm test`): what one `POST /information-requests` (a
 * draft) costs the DATABASE, in figures that hardly depend on what else the machine is doing: WAL
 * records and bytes (pg_walinspect), rows and index entries written, buffer pages touched, and the
 * CPU time of the app's PostgreSQL backends and of the server, per create. `npm run bench` shows that
 * creates are bound by PostgreSQL (backends running and waiting on the WAL), not by the server.
 *
 *   npm run build && npm run bench:create-cost
 *   BENCH_CREATES=2000 BENCH_CONCURRENCY=8 npm run bench:create-cost
 *
 * The creates run BENCH_CONCURRENCY (4) at a time, after 100 to warm up. The audit sealer runs as in
 * production (every 200 ms), so its share of the work is counted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { aDraft, frameworkId } from './support/fixtures';
import {
  admin,
  auditSigningKey,
  backendCpuMs,
  cpuMs,
  createBenchDatabase,
  loadAverage,
  pool,
  signIn,
  sleep,
  startServer,
  tempDir,
} from './support/harness';

const CREATES = Number(process.env.BENCH_CREATES ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);

interface Counters {
  lsn: string;
  inserted: number;
  updated: number;
  hit: number;
  read: number;
  commits: number;
  backendCpuMs: number;
}

async function counters(client: Client): Promise<Counters> {
  // The statistics of this transaction's own snapshot would be stale: clear them first.
  await client.query('SELECT pg_stat_clear_snapshot()');
  const {
    rows: [row],
  } = await client.query(
    `SELECT pg_current_wal_insert_lsn()::text AS lsn, tup_inserted::bigint AS inserted, tup_updated::bigint AS updated,
            blks_hit::bigint AS hit, blks_read::bigint AS read, xact_commit::bigint AS commits
       FROM pg_stat_database WHERE datname = current_database()`,
  );
  return {
    lsn: row.lsn,
    inserted: Number(row.inserted),
    updated: Number(row.updated),
    hit: Number(row.hit),
    read: Number(row.read),
    commits: Number(row.commits),
    backendCpuMs: await backendCpuMs(client),
  };
}

/** Index entries written per table while the creates ran: idx_tup_* is not kept, so count inserts × indexes. */
async function indexesPerTable(client: Client): Promise<Map<string, { indexes: number; inserted: number }>> {
  await client.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await client.query<{ table: string; indexes: number; inserted: string }>(
    `SELECT t.relname AS table, (SELECT count(*)::int FROM pg_index i WHERE i.indrelid = t.relid) AS indexes,
            t.n_tup_ins::text AS inserted
       FROM pg_stat_user_tables t`,
  );
  return new Map(rows.map((r) => [r.table, { indexes: r.indexes, inserted: Number(r.inserted) }]));
}

interface WalFigures {
  /** Records by resource manager and type (Btree:INSERT_LEAF is an index entry written). */
  byKind: ReadonlyArray<readonly [string, number]>;
  /** Records by kind and the relation (filenode) of their first block. */
  byRelation: Array<{ kind: string; node: number; n: number }>;
  records: number;
  bytes: number;
  fpi: number;
  blockRefs: number;
  pages: number;
}

/**
 * The WAL written between two LSNs by THIS database: the PostgreSQL server is shared (other
 * engineers' suites write WAL at the same time), so pg_get_wal_stats over the range would count their
 * records too. A record is ours when a block it references belongs to this database, or when its
 * transaction wrote such a record (its commit record has no block reference).
 */
/**
 * Copies this database's WAL records (and every transaction record) into the temp table `wal` of
 * `client`, chunk by chunk from `from` while the creates run: the server is shared, and under the
 * other engineers' load checkpoints recycle segments within seconds, before one read at the end could
 * reach them. `finish(to)` copies the rest up to `to`.
 */
async function walCopier(
  client: Client,
  database: string,
  from: string,
): Promise<{ finish: (to: string) => Promise<void> }> {
  await client.query(`DROP TABLE IF EXISTS pg_temp.wal`);
  await client.query(
    `CREATE TEMP TABLE wal (xid xid, record_length int, fpi_length int, block_ref text, kind text, ours boolean)`,
  );
  let last = from;
  const copy = async (upTo: string | null) => {
    const {
      rows: [{ end }],
    } = await client.query<{ end: string }>(
      upTo
        ? `SELECT least($1::pg_lsn, pg_current_wal_flush_lsn())::text AS end`
        : `SELECT pg_current_wal_flush_lsn()::text AS end`,
      upTo ? [upTo] : [],
    );
    const {
      rows: [{ ahead }],
    } = await client.query<{ ahead: boolean }>(`SELECT $1::pg_lsn > $2::pg_lsn AS ahead`, [end, last]);
    if (!ahead) return last;
    // A record that begins before the flushed end and ends after it is not yet readable: pg_walinspect
    // then finds no valid record after `last` (seen once, failing the whole run). Read it next time.
    const notYetReadable = (e: unknown) =>
      e instanceof Error && /could not find a valid record after/.test(e.message)
        ? 'retry'
        : Promise.reject(e);
    const copied = await client
      .query(
        `INSERT INTO wal
       SELECT r.xid, r.record_length, r.fpi_length, r.block_ref,
              r.resource_manager || ':' || split_part(r.record_type, ' ', 1),
              coalesce(strpos(r.block_ref, d.part) > 0, false)
         FROM pg_get_wal_records_info($1::pg_lsn, $2::pg_lsn) r,
              (SELECT '/' || oid || '/' AS part FROM pg_database WHERE datname = $3) d
        WHERE r.resource_manager = 'Transaction' OR strpos(r.block_ref, d.part) > 0`,
        [last, end, database],
      )
      .catch(notYetReadable);
    if (copied === 'retry') return last;
    last = end;
    return end;
  };
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await copy(null);
      await sleep(200);
    }
  })();
  return {
    finish: async (to: string) => {
      stopped = true;
      await loop;
      // pg_walinspect reads only WAL that has been flushed.
      for (let i = 0; i < 50 && (await copy(to)) !== to; i++) await sleep(100);
    },
  };
}

/**
 * The WAL written by THIS database, from the records `walCopier` kept: the PostgreSQL server is shared
 * (other engineers' suites write WAL at the same time), so pg_get_wal_stats over the range would count
 * their records too. A record is ours when a block it references belongs to this database, or when its
 * transaction wrote such a record (its commit record has no block reference).
 */
async function walOfThisDatabase(client: Client): Promise<WalFigures> {
  await client.query(
    `DELETE FROM wal WHERE NOT ours AND xid NOT IN (SELECT DISTINCT xid FROM wal WHERE ours AND xid <> '0')`,
  );
  const {
    rows: [row],
  } = await client.query(
    `SELECT count(*)::bigint AS records, coalesce(sum(record_length), 0)::bigint AS bytes,
            coalesce(sum(fpi_length), 0)::bigint AS fpi,
            (SELECT count(*) FROM wal, regexp_matches(coalesce(block_ref, ''), 'blkref #', 'g'))::bigint AS block_refs,
            (SELECT count(DISTINCT g.m[1] || ':' || g.m[2] || ':' || g.m[3])
               FROM wal, regexp_matches(coalesce(block_ref, ''), 'rel (\\d+/\\d+/\\d+) fork (\\w+) blk (\\d+)', 'g') AS g(m))::bigint AS pages
       FROM wal`,
  );
  const kinds = await client.query<{ kind: string; n: string }>(
    `SELECT kind, count(*)::text AS n FROM wal GROUP BY kind ORDER BY count(*) DESC`,
  );
  // By kind and the relation of the record's first block (a filenode, named in the bench database).
  const byRelation = await client.query<{ kind: string; node: string; n: string }>(
    `SELECT kind, substring(block_ref FROM 'rel \\d+/\\d+/(\\d+)') AS node, count(*)::text AS n
       FROM wal WHERE ours GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 40`,
  );
  return {
    byRelation: byRelation.rows.map((r) => ({ kind: r.kind, node: Number(r.node), n: Number(r.n) })),
    byKind: kinds.rows.map((k) => [k.kind, Number(k.n)] as const),
    records: Number(row.records),
    bytes: Number(row.bytes),
    fpi: Number(row.fpi),
    blockRefs: Number(row.block_refs),
    pages: Number(row.pages),
  };
}

interface StatementCounts {
  total: number;
  byText: Record<string, number>;
  describe(since: StatementCounts): string;
}

/** What `support/count-queries.js` (preloaded into the server) has counted so far. */
async function statementsSoFar(file: string): Promise<StatementCounts> {
  const byText: Record<string, number> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const total = Object.values(byText).reduce((a, b) => a + b, 0);
  return {
    total,
    byText,
    describe(since) {
      return Object.entries(byText)
        .map(([text, n]) => [text, n - (since.byText[text] ?? 0)] as const)
        .filter(([, n]) => n > 0)
        .sort((a, b) => b[1] - a[1])
        .map(([text, n]) => `${(n / CREATES).toFixed(2)} × ${text.slice(0, 60)}`)
        .join('; ');
    },
  };
}

async function main(): Promise<void> {
  console.log(
    `node ${process.version}, ${CREATES} creates, ${CONCURRENCY} at a time; load average at start ${await loadAverage()}`,
  );
  const db = await createBenchDatabase();
  const data = tempDir();
  const queryCounts = join(data.path, 'query-counts.json');
  const server = await startServer({
    databaseUrl: db.url,
    dataDir: data.path,
    signingKey: auditSigningKey(),
    nodeArgs: ['-r', join(__dirname, 'support/count-queries.js')],
    env: { BENCH_QUERY_COUNT_FILE: queryCounts },
  });
  const client = new Client({ connectionString: db.url });
  await client.connect();
  // The WAL copier works in a scratch database of its own, so its reads and temp table stay out of the
  // bench database's statistics (buffer pages, rows).
  const scratch = `${db.name}_wal`;
  await admin((c) => c.query(`CREATE DATABASE ${scratch}`));
  const walClient = new Client({ connectionString: db.url.replace(`/${db.name}`, `/${scratch}`) });
  await walClient.connect();
  await walClient.query('CREATE EXTENSION IF NOT EXISTS pg_walinspect');
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_walinspect');
    const officer = await signIn(server.base, 'kr.officer');
    const framework = await frameworkId(officer);
    const create = async () => {
      const res = await officer.call('POST', '/information-requests', aDraft(framework));
      if (res.status !== 201)
        throw new Error(`create: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    };
    await pool([...Array(100).keys()], CONCURRENCY, create);
    await new Promise((r) => setTimeout(r, 500)); // the sealer catches up with the warm-up

    await sleep(1200); // the statement counter writes its file every second
    const statements0 = await statementsSoFar(queryCounts);
    const tablesBefore = await indexesPerTable(client);
    const before = await counters(client);
    const walReader = await walCopier(walClient, db.name, before.lsn);
    const serverCpu0 = cpuMs(server.pid);
    const started = Date.now();
    await pool([...Array(CREATES).keys()], CONCURRENCY, create);
    await new Promise((r) => setTimeout(r, 1200)); // and with the measured creates; the counter writes
    const seconds = (Date.now() - started) / 1000;
    const serverCpu = cpuMs(server.pid) - serverCpu0;
    const after = await counters(client);
    const tablesAfter = await indexesPerTable(client);
    await walReader.finish(after.lsn);
    const wal = await walOfThisDatabase(walClient);
    const statements = await statementsSoFar(queryCounts);
    const per = (n: number) => (n / CREATES).toFixed(1);
    let rows = 0;
    let entries = 0;
    const detail: string[] = [];
    for (const [table, a] of tablesAfter) {
      const inserted = a.inserted - (tablesBefore.get(table)?.inserted ?? 0);
      if (inserted <= 0) continue;
      rows += inserted;
      entries += inserted * a.indexes;
      detail.push(`${table} ${per(inserted)} rows x ${a.indexes} indexes`);
    }
    console.log(
      `\nRESULTS per create (${CREATES} creates in ${seconds.toFixed(1)} s; load average at end ${await loadAverage()})`,
    );
    console.log(
      `  WAL (this database only): ${per(wal.records)} records, ${per(wal.bytes)} bytes (full-page images ${per(wal.fpi)} bytes), ${per(wal.blockRefs)} page modifications (block references) on ${per(wal.pages)} distinct pages`,
    );
    console.log(`    by kind: ${wal.byKind.map(([k, n]) => `${k} ${per(n)}`).join(', ')}`);
    const names = await client.query<{ node: number; name: string }>(
      `SELECT n AS node, coalesce(pg_filenode_relation(0, n::oid)::text, n::text) AS name FROM unnest($1::int[]) n`,
      [wal.byRelation.map((r) => r.node)],
    );
    const nameOf = new Map(names.rows.map((r) => [r.node, r.name]));
    console.log(
      `    by kind and relation: ${wal.byRelation
        .filter((r) => r.n / CREATES >= 0.05)
        .map((r) => `${r.kind} ${nameOf.get(r.node) ?? r.node} ${per(r.n)}`)
        .join(', ')}`,
    );
    console.log(
      `  statements sent by the server ${per(statements.total - statements0.total)}: ${statements.describe(statements0)}`,
    );
    console.log(
      `  rows inserted ${per(rows)}, index entries ${per(entries)}, rows updated ${per(after.updated - before.updated)}`,
    );
    console.log(`    ${detail.join('; ')}`);
    console.log(
      `  buffer pages touched ${per(after.hit + after.read - before.hit - before.read)}, commits ${per(after.commits - before.commits)}`,
    );
    console.log(
      `  CPU: PostgreSQL backends ${((after.backendCpuMs - before.backendCpuMs) / CREATES).toFixed(2)} ms, server ${(serverCpu / CREATES).toFixed(2)} ms`,
    );
    const rss = readFileSync(`/proc/${server.pid}/status`, 'utf8');
    console.log(`  server peak RSS ${(Number(/VmHWM:\s+(\d+)/.exec(rss)?.[1]) / 1024).toFixed(0)} MB`);
  } finally {
    await client.end();
    await walClient.end();
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`));
    await server.stop();
    data.remove();
    await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
