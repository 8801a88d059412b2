import { spawn } from 'node:child_process';
import { once } from 'node:events';
import Redis from 'ioredis';
import { serverPort } from './ports';

export interface TestRedis {
  url: string;
  stop: () => Promise<void>;
}

/**
 * A throwaway Redis for one spec (the machine's `redis-server` binary on a random port, nothing saved),
 * so the spec needs no shared server and runs inside the no-network namespace of
 * scripts/test-without-postgres.sh as well.
 */
export async function startTestRedis(): Promise<TestRedis> {
  const port = serverPort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const failed = once(child, 'error').then(([e]) => {
    throw new Error(`redis-server could not start (is it installed?): ${String(e)}`);
  });
  const url = `redis://127.0.0.1:${port}`;
  const ready = (async () => {
    for (let attempt = 0; attempt < 100; attempt++) {
      if (child.exitCode !== null) throw new Error(`redis-server exited:\n${output}`);
      const client = new Redis(url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      client.on('error', () => undefined);
      const ok = await client
        .connect()
        .then(() => client.ping())
        .then(() => true)
        .catch(() => false);
      client.disconnect();
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`redis-server did not answer:\n${output}`);
  })();
  await Promise.race([ready, failed]);
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
