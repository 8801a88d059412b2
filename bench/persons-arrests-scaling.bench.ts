/**
 * `npm run bench:scale:persons` (never part of `npm test`): do `GET /persons` and `GET /arrests` stay
 * fast as a country's persons and arrests grow? The sibling of `bench:scale` (list-scaling.bench.ts),
 * against the built server on a throwaway real-PostgreSQL database:
 *
 *   npm run build && npm run bench:scale:persons
 *   BENCH_LARGE_ROWS=200000 BENCH_SECONDS=5 BENCH_RUNS=1 npm run bench:scale:persons
 *
 * At each size N (BENCH_SMALL_ROWS 10,000, then BENCH_LARGE_ROWS 200,000) the database holds N persons
 * of KH, each arrested once by KH, plus N/10 persons of KR arrested by KR and shared with KH (an
 * `arrest_share` and its `person_provenance` release, as the share writes them), and N/10 of KH's
 * arrests shared with KR likewise. So kh.liaison (the owner) reads N own + N/10 received rows of each
 * list, kr.liaison (the partner) N/10 own + N/10 received. One name in 50 is "Sok Dara" (the `?name=`
 * query). Measured with wrk (p50/p95): `GET /persons`, `GET /persons?name=dara`, `GET /arrests` as each
 * reader; EXPLAIN (ANALYZE, BUFFERS) of the owner's persons and arrests SQL at each size.
 * The correlation triggers are off while loading (neither list reads correlations).
 */
import { Client } from 'pg';
import { arrestPageSql } from '../src/arrests/arrests.service';
import type { SearchPersonsQueryDto } from '../src/persons/dto/person.dto';
import { personPageSql } from '../src/persons/persons.service';
import type { Actor } from '../src/common/request-context';
import {
  auditSigningKey,
  createBenchDatabase,
  loadAverage,
  measure,
  median,
  signIn,
  startServer,
  Summary,
  tempDir,
} from './support/harness';

const SMALL = Number(process.env.BENCH_SMALL_ROWS ?? 10_000);
const LARGE = Number(process.env.BENCH_LARGE_ROWS ?? 200_000);
const CHUNK = 50_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const CALLS = Number(process.env.BENCH_CALLS ?? 3);

const FAMILY = ['Sok', 'Chan', 'Kim', 'Lee', 'Park', 'Heng', 'Ly', 'Choi', 'Meas', 'Chea'];
const GIVEN = ['Dara', 'Sophal', 'Minho', 'Jisoo', 'Vannak', 'Bopha', 'Seoyeon', 'Rithy', 'Junho', 'Sreymom'];
const arr = (xs: string[]) => `ARRAY[${xs.map((x) => `'${x}'`).join(',')}]`;

/**
 * Persons g in [$1, $2) of country $3 by user $4, and one arrest of each by the same country; created
 * over the last year. Names: family g % 10, given (g / 10) % 10 (so 1 in 100 is "Sok Dara", 1 in 10 has
 * "Dara"). The arrest's nationality is the partner's for the persons shared onward (see `share`).
 */
const INSERT = `
WITH g AS (
  SELECT g, (${arr(FAMILY)})[g % 10 + 1] AS family, (${arr(GIVEN)})[(g / 10) % 10 + 1] AS given,
         now() - random() * interval '365 days' AS at
    FROM generate_series($1::int, $2::int - 1) AS g
), persons AS (
  INSERT INTO person (owner_country, names, search_text, created_by, created_at, updated_at)
  SELECT $3, jsonb_build_array(jsonb_build_object('full', family || ' ' || given, 'given', given, 'family', family,
                                                  'script', 'latin')),
         lower(family || ' ' || given) || ' | ' || lower(given) || ' | ' || lower(family), $4::uuid, at, at
    FROM g
  RETURNING id, created_at
)
INSERT INTO arrest (arresting_country, person_id, nationality, arrested_at, place, grounds, arresting_agency,
                    custody_status, created_by, created_at, updated_at)
SELECT $3, id, $3, created_at - interval '1 hour', 'Golden Fortune compound', 'Online scam operation',
       'Anti-Human Trafficking Police', 'detained', $4::uuid, created_at + interval '1 minute',
       created_at + interval '1 minute'
  FROM persons`;

/** Shares every `every`-th not yet shared arrest of $1 with $2 (by user $3): the share and its release. */
const SHARE = (every: number) => `
WITH picked AS (
  SELECT a.id, a.person_id, a.created_at FROM arrest a
   WHERE a.arresting_country = $1 AND NOT EXISTS (SELECT 1 FROM arrest_share s WHERE s.arrest_id = a.id)
     AND ('x' || substr(md5(a.id::text), 1, 8))::bit(32)::int % ${every} = 0
), shares AS (
  INSERT INTO arrest_share (arrest_id, country_code, shared_by, shared_at, handling_code)
  SELECT id, $2, $3::uuid, LEAST(now(), created_at + random() * interval '30 days'), 'AMBER' FROM picked
  RETURNING arrest_id, shared_at
)
INSERT INTO person_provenance (person_id, receiving_country, released_by_country, originator_country,
                               handling_code, via_type, via_id, released_by, released_at)
SELECT p.person_id, $2, $1, $1, 'AMBER', 'arrest', s.arrest_id, $3::uuid, s.shared_at
  FROM shares s JOIN picked p ON p.id = s.arrest_id`;

async function countOf(client: Client, country: string): Promise<number> {
  return (await client.query(`SELECT count(*)::int AS n FROM person WHERE owner_country = $1`, [country]))
    .rows[0].n;
}

async function insert(client: Client, country: string, user: string, upTo: number): Promise<void> {
  for (let from = await countOf(client, country); from < upTo; from += CHUNK)
    await client.query(INSERT, [from, Math.min(upTo, from + CHUNK), country, user]);
}

async function growTo(client: Client, users: Record<string, string>, rows: number): Promise<void> {
  const started = Date.now();
  await client.query(`ALTER TABLE arrest_share DISABLE TRIGGER arrest_share_correlate`);
  try {
    await insert(client, 'KH', users.KH!, rows);
    await insert(client, 'KR', users.KR!, rows / 10);
    // Every KR arrest shared with KH; of KH's, about one in ten shared with KR (hash of the id).
    await client.query(SHARE(1), ['KR', 'KH', users.KR]);
    await client.query(SHARE(10), ['KH', 'KR', users.KH]);
  } finally {
    await client.query(`ALTER TABLE arrest_share ENABLE TRIGGER arrest_share_correlate`);
  }
  const v = Date.now();
  await client.query(`VACUUM ANALYZE person, arrest, arrest_share, person_provenance`);
  const counts = (
    await client.query(
      `SELECT (SELECT count(*) FROM person)::int AS persons, (SELECT count(*) FROM arrest)::int AS arrests,
              (SELECT count(*) FROM arrest_share)::int AS shares`,
    )
  ).rows[0];
  console.log(
    `  at ${rows}: ${counts.persons} persons, ${counts.arrests} arrests, ${counts.shares} shares; insert ` +
      `${((v - started) / 1000).toFixed(0)} s, VACUUM ANALYZE ${((Date.now() - v) / 1000).toFixed(0)} s`,
  );
}

/** Named `:parameters` as `$n` (TypeORM's `escapeQueryWithParameters`, which the services call). */
function positionalSql(q: { sql: string; params: Record<string, unknown> }): {
  sql: string;
  params: unknown[];
} {
  const params: unknown[] = [];
  const index = new Map<string, number>();
  const sql = q.sql.replace(/:(\.\.\.)?([A-Za-z0-9_.]+)/g, (full, _spread, key: string) => {
    if (!(key in q.params)) return full;
    if (!index.has(key)) index.set(key, params.push(q.params[key]));
    return `$${index.get(key)}`;
  });
  return { sql, params };
}

/** The first page's SQL as the services issue it (`personPageSql`, `arrestPageSql`). */
const personsSql = (actor: Actor, query: SearchPersonsQueryDto = {}) =>
  positionalSql(personPageSql(actor, query, 50));
const arrestsSql = (actor: Actor) => positionalSql(arrestPageSql(actor, {}, 50));

async function explain(client: Client, label: string, q: { sql: string; params: unknown[] }): Promise<void> {
  const plan = (await client.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${q.sql}`, q.params)).rows
    .map((r) => r['QUERY PLAN'])
    .join('\n    ');
  console.log(`  EXPLAIN ANALYZE ${label}:\n    ${plan}`);
}

interface Reader {
  name: string;
  token: string;
  actor: Actor;
}

const LISTS = ['/persons', '/persons?name=dara', '/arrests'];

async function main() {
  const started = Date.now();
  console.log(
    `node ${process.version}, wrk -t2 -c${CONNECTIONS} -d${SECONDS}s x ${RUNS} after a 3 s warm-up; load average at start ${await loadAverage()}`,
  );
  const db = await createBenchDatabase();
  const data = tempDir();
  const client = new Client({ connectionString: db.url });
  await client.connect();
  const results: Array<{ rows: number; label: string; s: Summary }> = [];
  const sequential: Array<{ rows: number; label: string; median: number }> = [];
  try {
    const server = await startServer({
      databaseUrl: db.url,
      dataDir: data.path,
      signingKey: auditSigningKey(),
    });
    try {
      const users: Record<string, string> = {};
      const readers: Reader[] = [];
      for (const [country, username] of [
        ['KH', 'kh.liaison'],
        ['KR', 'kr.liaison'],
      ] as const) {
        const [u] = (await client.query(`SELECT id, agency_id FROM app_user WHERE username = $1`, [username]))
          .rows;
        users[country] = u.id;
        const { token } = await signIn(server.base, username);
        readers.push({
          name: username,
          token,
          actor: {
            kind: 'user',
            userId: u.id,
            username,
            agencyId: u.agency_id,
            countryCode: country,
            roles: ['liaison'],
          },
        });
      }
      for (const rows of [SMALL, LARGE]) {
        await growTo(client, users, rows);
        // Sequential calls first (a figure even where wrk, at 8 connections, completes none in its run).
        for (const reader of readers)
          for (const list of LISTS) {
            const times: number[] = [];
            for (let i = 0; i < CALLS + 1; i++) {
              const t0 = process.hrtime.bigint();
              const res = await fetch(`${server.base}${list}`, {
                headers: { authorization: `Bearer ${reader.token}` },
              });
              const body = await res.text();
              if (res.status !== 200) throw new Error(`${list}: ${res.status} ${body.slice(0, 300)}`);
              if (i > 0) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
            }
            const label = `${reader.name} GET ${list}`;
            console.log(
              `  ${rows} ${label}: ${CALLS} sequential calls, median ${median(times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms`,
            );
            sequential.push({ rows, label, median: median(times) });
          }
        if (process.env.BENCH_WRK !== '0')
          for (const reader of readers)
            for (const list of LISTS) {
              const label = `${reader.name} GET ${list}`;
              const s = await measure(
                `${rows} ${label}`,
                {
                  url: `${server.base}${list}`,
                  token: reader.token,
                  connections: CONNECTIONS,
                  seconds: SECONDS,
                },
                RUNS,
              );
              results.push({ rows, label, s });
            }
        console.log(`  load average ${await loadAverage()}`);
        for (const reader of readers) {
          await explain(client, `${reader.name} persons (${rows})`, personsSql(reader.actor));
          await explain(
            client,
            `${reader.name} persons ?name=dara (${rows})`,
            personsSql(reader.actor, { name: 'dara' }),
          );
          await explain(client, `${reader.name} arrests (${rows})`, arrestsSql(reader.actor));
        }
      }
    } catch (error) {
      console.error(server.output().slice(-5000));
      throw error;
    } finally {
      await server.stop();
    }
  } finally {
    await client.end();
    await db.drop();
    data.remove();
  }
  console.log(
    `\nRESULTS (load average at end ${await loadAverage()}, ${((Date.now() - started) / 1000).toFixed(0)} s in all)`,
  );
  for (const r of sequential.filter((x) => x.rows === SMALL)) {
    const large = sequential.find((x) => x.rows === LARGE && x.label === r.label);
    console.log(
      `  ${r.label.padEnd(36)} sequential median ${SMALL}: ${r.median.toFixed(0)} ms | ${LARGE}: ${large?.median.toFixed(0)} ms | ratio ${large ? (large.median / r.median).toFixed(2) : '-'}`,
    );
  }
  for (const r of results.filter((x) => x.rows === SMALL)) {
    const large = results.find((x) => x.rows === LARGE && x.label === r.label);
    const f = (s: Summary) =>
      `p50 ${s.p50.toFixed(0)} ms, p95 ${s.p95.toFixed(0)} ms, ${s.rps.toFixed(0)} req/s${s.errors ? ` (${s.errors} ERRORS)` : ''}`;
    console.log(
      `  ${r.label.padEnd(36)} ${SMALL}: ${f(r.s)} | ${LARGE}: ${large ? f(large.s) : '-'} | p95 ratio ${large ? (large.s.p95 / r.s.p95).toFixed(2) : '-'}`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
