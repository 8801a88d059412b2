/**
 * `npm run bench:embedded-idle` (never part of `npm test`): the resident memory of the server on the
 * embedded database (PGlite, no DATABASE_URL), started as `npm start` starts it (package.json's node
 * flags and environment), idle: a first start on an empty data directory (migrations, demo seeding,
 * the argon2 hashing of its passwords), then a restart on the same directory. Each start is read
 * BENCH_IDLE_SECONDS (20) after it answers /api/ready: RSS then, and the peak (VmHWM). Target: < 250 MB.
 *
 *   npm run build && npm run bench:embedded-idle
 *   BENCH_IDLE_RESTARTS=2 npm run bench:embedded-idle
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { loadAverage, mainScript, randomPort, sleep, tempDir, userStartCommand } from './support/harness';

const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 20);
const RESTARTS = Number(process.env.BENCH_IDLE_RESTARTS ?? 1);

const memoryOf = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1]) / 1024;
  return { rss: mb('VmRSS'), peak: mb('VmHWM') };
};

async function idleReading(dataDir: string): Promise<{ rss: number; peak: number; readyMs: number }> {
  const start = userStartCommand();
  const port = randomPort();
  const env: NodeJS.ProcessEnv = {
    ...start.env,
    PATH: process.env.PATH ?? '',
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
  };
  const t0 = Date.now();
  const proc = spawn(process.execPath, [...start.nodeArgs, mainScript()], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d) => (out = (out + d).slice(-20_000)));
  proc.stderr?.on('data', (d) => (out = (out + d).slice(-20_000)));
  try {
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`server exited:\n${out}`);
      const ok = await fetch(`http://127.0.0.1:${port}/api/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() - t0 > 300_000) throw new Error(`server not ready:\n${out}`);
      await sleep(250);
    }
    const readyMs = Date.now() - t0;
    await sleep(IDLE_SECONDS * 1000);
    return { ...memoryOf(proc.pid!), readyMs };
  } finally {
    proc.kill('SIGTERM');
    await once(proc, 'exit');
  }
}

async function main() {
  const start = userStartCommand();
  console.log(
    `node ${process.version}, start flags: ${[...Object.entries(start.env).map(([k, v]) => `${k}=${v}`), ...start.nodeArgs].join(' ') || '(none)'}; ` +
      `load average ${await loadAverage()}`,
  );
  const data = tempDir();
  try {
    const line = (label: string, r: { rss: number; peak: number; readyMs: number }) =>
      console.log(
        `  ${label.padEnd(12)} idle RSS ${r.rss.toFixed(0)} MB (target < 250 MB), peak ${r.peak.toFixed(0)} MB, ready in ${(r.readyMs / 1000).toFixed(1)} s`,
      );
    line('first start', await idleReading(data.path));
    for (let i = 1; i <= RESTARTS; i++) line(`restart ${i}`, await idleReading(data.path));
  } finally {
    data.remove();
  }
  console.log(`load average at end ${await loadAverage()}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
