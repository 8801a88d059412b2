/**
 * Issue 19: a large attachment upload streams with flat memory. Starts the built server (fs storage
 * in a temporary DATA_DIR) on a throwaway database, uploads one generated PDF of BENCH_UPLOAD_MB
 * (default 1024) as a raw streamed body, and samples the server's resident set (VmRSS) every 100 ms
 * throughout. Prints the growth of the server's RSS over its level just before the upload (target:
 * under 50 MB), the throughput, and checks the stored file's hash. Then an upload cut off half way
 * must leave nothing in the storage and no row.
 *
 *   npm run build && npm run bench:attachments
 *   BENCH_UPLOAD_MB=200 npm run bench:attachments
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  auditSigningKey,
  createBenchDatabase,
  loadAverage,
  signIn,
  sleep,
  startServer,
  tempDir,
} from './support/harness';

const MB = 1024 * 1024;
const SIZE_MB = Number(process.env.BENCH_UPLOAD_MB ?? 1024);
const TARGET_GROWTH_MB = 50;

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return kb / 1024;
}

function filesUnder(root: string): string[] {
  try {
    return readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
  } catch {
    return [];
  }
}

/** Streams `sizeMb` of a PDF-looking body with back-pressure; `cutAfterMb` drops the connection there. */
function streamUpload(
  port: number,
  path: string,
  token: string,
  sizeMb: number,
  cutAfterMb?: number,
): Promise<{ status: number; body: string; sha256: string; seconds: number }> {
  const hash = createHash('sha256');
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/octet-stream',
          'content-length': String(sizeMb * MB),
          'x-filename': encodeURIComponent(`bench-${sizeMb}MB.pdf`),
        },
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body,
            sha256: hash.digest('hex'),
            seconds: (Date.now() - started) / 1000,
          }),
        );
      },
    );
    req.on('error', (error) =>
      cutAfterMb ? resolve({ status: 0, body: '', sha256: '', seconds: 0 }) : reject(error),
    );
    const chunk = Buffer.alloc(MB);
    let sent = 0;
    const writeMore = () => {
      while (sent < sizeMb) {
        if (cutAfterMb !== undefined && sent >= cutAfterMb) {
          req.destroy();
          return;
        }
        // Every megabyte differs (a counter in its first bytes), so the hash covers real work.
        if (sent === 0) chunk.write('%PDF-1.7\n', 0);
        else chunk.writeUInt32BE(sent, 0);
        hash.update(chunk);
        sent++;
        if (!req.write(chunk)) return void req.once('drain', writeMore);
      }
      req.end();
    };
    writeMore();
  });
}

async function main(): Promise<void> {
  console.log(`attachments upload bench: ${SIZE_MB} MB, load average ${await loadAverage()}`);
  const db = await createBenchDatabase();
  const dir = tempDir();
  const server = await startServer({
    databaseUrl: db.url,
    dataDir: dir.path,
    signingKey: auditSigningKey(),
    env: { ATTACHMENT_MAX_BYTES: String((SIZE_MB + 1) * MB) },
  });
  try {
    const officer = await signIn(server.base, 'kr.officer');
    const kase = await officer.call('POST', '/cases', { title: 'Upload bench' });
    if (kase.status !== 201) throw new Error(`case: ${kase.status}`);
    const path = `/api/v1/cases/${kase.body.id}/attachments`;
    // Warm the route (first request compiles code paths) with a small file, then settle.
    const warm = await streamUpload(server.port, path, officer.token, 1);
    if (warm.status !== 201) throw new Error(`warm-up upload: ${warm.status} ${warm.body}`);
    await sleep(2000);

    const before = rssMb(server.pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(server.pid))), 100);
    const result = await streamUpload(server.port, path, officer.token, SIZE_MB);
    clearInterval(sampler);
    peak = Math.max(peak, rssMb(server.pid));
    if (result.status !== 201) throw new Error(`upload: ${result.status} ${result.body}`);
    const stored = JSON.parse(result.body) as { sha256: string; sizeBytes: number };
    const growth = peak - before;
    console.log(
      `upload ${SIZE_MB} MB: ${result.seconds.toFixed(1)} s (${(SIZE_MB / result.seconds).toFixed(0)} MB/s), ` +
        `server RSS before ${before.toFixed(0)} MB, peak ${peak.toFixed(0)} MB, growth ${growth.toFixed(1)} MB ` +
        `(target < ${TARGET_GROWTH_MB} MB: ${growth < TARGET_GROWTH_MB ? 'met' : 'MISSED'}); ` +
        `hash ${stored.sha256 === result.sha256 ? 'equal' : 'DIFFERENT'}, size ${stored.sizeBytes === SIZE_MB * MB ? 'equal' : 'DIFFERENT'}`,
    );

    const store = join(dir.path, 'attachments');
    const filesBefore = filesUnder(store).length;
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const rows = async () => Number((await pg.query(`SELECT count(*) AS n FROM attachment`)).rows[0].n);
    const rowsBefore = await rows();
    const cut = Math.min(100, Math.floor(SIZE_MB / 2));
    await streamUpload(server.port, path, officer.token, SIZE_MB, cut);
    await sleep(1500);
    const left = filesUnder(store).length - filesBefore;
    const newRows = (await rows()) - rowsBefore;
    await pg.end();
    console.log(
      `interrupted upload (cut after ${cut} MB): ${left} file(s) and ${newRows} row(s) left behind: ${left === 0 && newRows === 0 ? 'PASS' : 'FAIL'}`,
    );
  } finally {
    await server.stop();
    dir.remove();
    await db.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
