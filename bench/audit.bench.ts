/**
 * Audit trail benchmark, against a real PostgreSQL server (never part of `npm test`).
 *
 *   npm run bench:audit                        # uses postgres://postgres@127.0.0.1:5432/postgres
 *   BENCH_ADMIN_URL=postgres://u:p@host:5432/postgres BENCH_SECONDS=10 npm run bench:audit
 *
 * Creates a throwaway database `case_desk_bench_<random>`, runs the app's migrations, and measures:
 *  1. append throughput: 16 concurrent commands, each one transaction inserting a business row and its
 *     audit event (as AuditService does), with the sealer off and then with the sealer running every
 *     200 ms; plus how long the sealer takes to catch up afterwards;
 *  2. verifying and exporting the events of step 1 (a few tens of thousands), then sealing, verifying
 *     and exporting 100,000 events, sampling RSS and live heap, to show that memory stays flat as the
 *     trail grows (verification and export read keyset batches).
 * The real AuditSealerService, AuditVerifierService and AuditTrailService run outside Nest, built
 * with small stand-ins for configuration and the transaction helper. The database is dropped at the end.
 */
import { AuditEventIds } from '../src/audit/audit-event-ids';
import 'reflect-metadata';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AuditWitnessService } from '../src/audit/audit-witness.service';
import { AuditSealerService } from '../src/audit/audit-sealer.service';
import { AuditSigningKey } from '../src/audit/audit-signing-key';
import { AuditTrailService } from '../src/audit-trail/audit-trail.service';
import { AuditVerifierService } from '../src/audit/audit-verifier.service';
import { toCsvLine } from '../src/audit/audit.mappers';
import type { AuditService } from '../src/audit/audit.service';
import type { AppConfig } from '../src/config/app-config.service';
import type { Environment } from '../src/config/environment';
import { dataSourceOptions } from '../src/database/database-options';
import type { TransactionService } from '../src/database/transaction.service';

const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = 16;

function configStub(values: Partial<Environment>): AppConfig {
  const all: Partial<Environment> = {
    AUDIT_SEAL_INTERVAL_MS: 200,
    AUDIT_CHECKPOINT_EVERY: 1000,
    AUDIT_CHECKPOINT_SECONDS: 60,
    AUDIT_RETENTION_YEARS: 7,
    DATA_DIR: './data',
    NODE_ENV: 'development',
    ...values,
  };
  return { get: (key: keyof Environment) => all[key], isProduction: false } as unknown as AppConfig;
}

/**
 * Peak RSS (sampled every 20 ms) and peak live heap while `work` runs. With `--expose-gc` (as
 * `npm run bench:audit` runs) the heap is read right after a forced collection every 500 ms, so it counts
 * what is retained, not garbage waiting for the collector; the collections add a little to the times.
 */
async function measureMemory<T>(
  work: () => Promise<T>,
): Promise<{ result: T; ms: number; rssMb: number; heapMb: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  let rss = process.memoryUsage().rss;
  let heap = process.memoryUsage().heapUsed;
  const rssSample = setInterval(() => (rss = Math.max(rss, process.memoryUsage.rss())), 20);
  const heapSample = setInterval(() => {
    gc?.();
    heap = Math.max(heap, process.memoryUsage().heapUsed);
  }, 500);
  const start = performance.now();
  try {
    const result = await work();
    return { result, ms: performance.now() - start, rssMb: rss / 2 ** 20, heapMb: heap / 2 ** 20 };
  } finally {
    clearInterval(rssSample);
    clearInterval(heapSample);
  }
}

async function appendFor(
  dataSource: DataSource,
  seconds: number,
): Promise<{ events: number; p50: number; p99: number }> {
  const deadline = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  const worker = async (w: number) => {
    for (let i = 0; performance.now() < deadline; i++) {
      const start = performance.now();
      await dataSource.transaction(async (m) => {
        await m.query(`INSERT INTO bench_case (label) VALUES ($1)`, [`w${w}-${i}`]);
        await m.query(
          `INSERT INTO audit_event (actor_kind, actor_user_id, actor_username, actor_agency_id, actor_country, actor_roles,
             action, outcome, record_type, record_id, owner_country, counterpart_country, changes, details,
             request_id, source_ip, user_agent)
           VALUES ('user', $1, 'officer.kr', NULL, 'KR', '{officer}', 'case.create', 'success', 'case', $2, 'KR', 'MY',
             $3, NULL, $4, '10.0.0.1', 'bench')`,
          [
            '00000000-0000-4000-8000-000000000001',
            `KR-CASE-${w}-${i}`,
            { before: null, after: { status: 'open', summary: `Raid ${i}` } },
            `req-${w}-${i}`,
          ],
        );
      });
      latencies.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
  latencies.sort((a, b) => a - b);
  return {
    events: latencies.length,
    p50: latencies[Math.floor(latencies.length * 0.5)],
    p99: latencies[Math.floor(latencies.length * 0.99)],
  };
}

async function count(dataSource: DataSource, table: string): Promise<number> {
  const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM ${table}`);
  return n;
}

async function main(): Promise<void> {
  const name = `case_desk_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const dataSource = new DataSource(dataSourceOptions({ url: url.toString(), poolSize: CONCURRENCY + 4 }));
  const lines: string[] = [];
  const report = (line: string) => {
    lines.push(line);
    console.log(line);
  };
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.query(`CREATE TABLE bench_case (id bigserial PRIMARY KEY, label text NOT NULL)`);
    const [{ version }] = await dataSource.query(`SELECT current_setting('server_version') AS version`);
    report(
      `PostgreSQL ${version}, node ${process.version}, ${CONCURRENCY} concurrent commands, ${SECONDS} s per run`,
    );

    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const config = configStub({ AUDIT_SIGNING_KEY: pem });
    const signingKey = new AuditSigningKey(config);
    // No AUDIT_WITNESS_FILE in the stub: the witness publishes nothing.
    const sealer = new AuditSealerService(
      dataSource,
      config,
      signingKey,
      new AuditWitnessService(dataSource, config),
    );
    const verifier = new AuditVerifierService(dataSource, signingKey);

    // 1. Append throughput, sealer off and on, alternated so drift on a shared machine hits both alike.
    const rounds: Record<'off' | 'on', Array<{ events: number; p50: number; p99: number }>> = {
      off: [],
      on: [],
    };
    for (const mode of ['off', 'on', 'off', 'on'] as const) {
      if (mode === 'on') sealer.start();
      rounds[mode].push(await appendFor(dataSource, SECONDS / 2));
      const start = performance.now();
      const total = await count(dataSource, 'audit_event');
      if (mode === 'on') {
        while ((await count(dataSource, 'audit_chain')) < total) await new Promise((r) => setTimeout(r, 10));
        report(
          `  sealer (every 200 ms) caught up ${(performance.now() - start).toFixed(0)} ms after the last commit`,
        );
        await sealer.stop();
      } else {
        const drained = await sealer.sealNow({ drain: true, drainTimeoutMs: 600_000 });
        const ms = performance.now() - start;
        report(
          `  sealing the backlog of ${drained.sealed} events afterwards: ${ms.toFixed(0)} ms (${((drained.sealed / ms) * 1000).toFixed(0)} events/s)`,
        );
      }
    }
    for (const mode of ['off', 'on'] as const) {
      const runs = rounds[mode];
      const events = runs.reduce((sum, r) => sum + r.events, 0);
      report(
        `append, sealer ${mode}: ${(events / SECONDS).toFixed(0)} events/s (per run ${runs.map((r) => ((r.events / SECONDS) * 2).toFixed(0)).join(', ')}; p50 ${runs.map((r) => r.p50.toFixed(1)).join('/')} ms, p99 ${runs.map((r) => r.p99.toFixed(1)).join('/')} ms)`,
      );
    }

    // 2. Verify and export at two sizes.
    let start: number;
    const trail = new AuditTrailService(
      dataSource,
      {
        run: (fn: () => Promise<unknown>) => fn(),
        manager: dataSource.manager,
      } as unknown as TransactionService,
      { record: async () => undefined } as unknown as AuditService,
      verifier,
      signingKey,
      config,
      new AuditEventIds(signingKey),
    );
    const auditor = {
      actor: {
        kind: 'user' as const,
        userId: '00000000-0000-4000-8000-000000000009',
        username: 'auditor.kr',
        agencyId: null,
        countryCode: 'KR',
        roles: ['auditor' as const],
      },
      requestId: null,
      sourceIp: null,
      userAgent: null,
    };
    for (const size of [0, 100_000]) {
      const missing = size - (await count(dataSource, 'audit_event'));
      if (missing > 0)
        await dataSource.query(
          `INSERT INTO audit_event (actor_kind, actor_username, actor_country, actor_roles, action, outcome,
             record_type, record_id, owner_country, changes, request_id)
           SELECT 'user', 'officer.kr', 'KR', '{officer}', 'person.screen', 'success', 'person', 'P-' || g, 'KR',
                  jsonb_build_object('after', jsonb_build_object('names', jsonb_build_array('Kim', 'Lee'), 'n', g)),
                  'req-' || g
             FROM generate_series(1, $1::int) AS g`,
          [missing],
        );
      start = performance.now();
      const sealed = await sealer.sealNow({ drain: true, checkpoint: true, drainTimeoutMs: 600_000 });
      const sealMs = performance.now() - start;
      report(
        `${await count(dataSource, 'audit_event')} events: sealed ${sealed.sealed} new in ${sealMs.toFixed(0)} ms` +
          (sealed.sealed > 0 ? ` (${((sealed.sealed / sealMs) * 1000).toFixed(0)} events/s)` : ''),
      );

      const verified = await measureMemory(() => verifier.verify());
      if (!verified.result.ok) throw new Error(`verification failed: ${JSON.stringify(verified.result)}`);
      report(
        `  verify ${verified.result.checkedEvents} events: ${verified.ms.toFixed(0)} ms, peak RSS ${verified.rssMb.toFixed(0)} MB, peak live heap ${verified.heapMb.toFixed(0)} MB`,
      );

      for (const format of ['ndjson', 'csv'] as const) {
        const exported = await measureMemory(async () => {
          let rows = 0;
          let bytes = 0;
          for await (const batch of await trail.export(auditor, {}, format)) {
            for (const event of batch) {
              bytes += Buffer.byteLength(format === 'csv' ? toCsvLine(event) : `${JSON.stringify(event)}\n`);
              rows++;
            }
          }
          return { rows, bytes };
        });
        report(
          `  export ${format} ${exported.result.rows} events (${(exported.result.bytes / 2 ** 20).toFixed(0)} MB): ${exported.ms.toFixed(0)} ms, peak RSS ${exported.rssMb.toFixed(0)} MB, peak live heap ${exported.heapMb.toFixed(0)} MB`,
        );
      }
    }
  } finally {
    await dataSource.destroy().catch(() => undefined);
    if (process.env.BENCH_KEEP === '1') console.log(`kept database ${name}`);
    else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
