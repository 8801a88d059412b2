import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { LoginThrottleStorage } from '../../src/auth/throttler/login-throttle.storage';
import { PostgresThrottlerStorage } from '../../src/auth/throttler/postgres-throttler.storage';
import type { AppConfig } from '../../src/config/app-config.service';
import { TEST_DEMO_PASSWORD } from '../support/demo-password';
import { startTestRedis, TestRedis } from '../support/redis-server';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The sign-in counters every instance shares: PostgreSQL by default on a real server, Redis with
 * REDIS_URL. Both must count concurrent attempts exactly and block past the limit; the two-process
 * spec (test/platform/two-processes.e2e-spec.ts) shows the limit holding across built servers.
 */
describe('Shared sign-in throttle storage', () => {
  let t: TestApp;
  let redis: TestRedis;
  let redisStorage: ThrottlerStorageRedisService;
  const stores: Record<string, () => ThrottlerStorage> = {
    postgres: () => new PostgresThrottlerStorage(t.dataSource),
    redis: () => redisStorage,
  };
  beforeAll(async () => {
    t = await createTestApp();
    redis = await startTestRedis();
    redisStorage = new ThrottlerStorageRedisService(redis.url);
  });
  afterAll(async () => {
    redisStorage?.onModuleDestroy();
    await redis?.stop();
    await t?.close();
  });

  describe.each(Object.keys(stores))('%s', (name) => {
    it('allows the limit within a window, then blocks with the time left', async () => {
      const store = stores[name]();
      const key = randomUUID();
      const results = [];
      for (let i = 0; i < 4; i++)
        results.push(await store.increment(key, 60_000, 3, 60_000, 'login-username'));
      expect(results.map((r) => r.isBlocked)).toEqual([false, false, false, true]);
      expect(results.slice(0, 3).map((r) => r.totalHits)).toEqual([1, 2, 3]);
      expect(results[3].timeToBlockExpire).toBeGreaterThan(0);
      expect(results[3].timeToBlockExpire).toBeLessThanOrEqual(60);
      // Another throttler's bucket for the same key is counted apart.
      expect((await store.increment(key, 60_000, 3, 60_000, 'login-address')).totalHits).toBe(1);
    });

    it('counts concurrent attempts exactly: of 25 at once against a limit of 10, 10 pass', async () => {
      const store = stores[name]();
      const key = randomUUID();
      const results = await Promise.all(
        Array.from({ length: 25 }, () => store.increment(key, 60_000, 10, 60_000, 'login-address')),
      );
      expect(results.filter((r) => !r.isBlocked)).toHaveLength(10);
    });
  });

  describe.each(['postgres', 'redis', 'memory'] as const)(
    'the app storage on %s: a hit taken back (a right password) is not counted',
    (backend) => {
      const storageOn = () => {
        const config = {
          get: (name: string) => (name === 'REDIS_URL' && backend === 'redis' ? redis.url : undefined),
          usesEmbeddedDatabase: backend === 'memory',
        } as unknown as AppConfig;
        return new LoginThrottleStorage(config, t.dataSource);
      };

      it('hits taken back leave the count where it was: the limit is reached by the hits that stay', async () => {
        const storage = storageOn();
        try {
          expect(storage.backend).toBe(backend);
          const key = randomUUID();
          const hit = async () =>
            (await storage.increment(key, 60_000, 2, 60_000, 'login-username')).isBlocked;
          // Five attempts with the right password: each counted, then taken back.
          for (let i = 0; i < 5; i++) {
            expect(await hit()).toBe(false);
            await storage.refund(key, 'login-username');
          }
          // Two failures are what the limit allows; the third attempt is past it.
          expect([await hit(), await hit(), await hit()]).toEqual([false, false, true]);
        } finally {
          storage.onApplicationShutdown();
        }
      });

      it('a refund of a key never hit takes nothing below none', async () => {
        const storage = storageOn();
        try {
          const key = randomUUID();
          for (let i = 0; i < 3; i++) await storage.refund(key, 'login-username');
          const hits = [];
          for (let i = 0; i < 3; i++)
            hits.push((await storage.increment(key, 60_000, 2, 60_000, 'login-username')).isBlocked);
          expect(hits).toEqual([false, false, true]);
        } finally {
          storage.onApplicationShutdown();
        }
      });
    },
  );

  it('PostgreSQL: a key whose block has ended starts a new window, and the sweep drops only ended rows', async () => {
    const store = new PostgresThrottlerStorage(t.dataSource);
    const ended = randomUUID();
    const live = randomUUID();
    for (let i = 0; i < 3; i++) await store.increment(ended, 60_000, 2, 60_000, 'login-username');
    await store.increment(live, 60_000, 2, 60_000, 'login-username');
    // As if the minute had passed (no waiting on the clock in a test).
    await t.dataSource.query(
      `UPDATE login_throttle SET window_ends_at = now() - interval '1 second', blocked_until = now() - interval '1 second'
        WHERE key = $1`,
      [`login-username:${ended}`],
    );
    expect(await store.sweep()).toBeGreaterThanOrEqual(1);
    const rows = await t.dataSource.query(`SELECT key FROM login_throttle WHERE key = ANY($1)`, [
      [`login-username:${ended}`, `login-username:${live}`],
    ]);
    expect(rows).toEqual([{ key: `login-username:${live}` }]);
    const again = await store.increment(ended, 60_000, 2, 60_000, 'login-username');
    expect(again).toMatchObject({ totalHits: 1, isBlocked: false });

    // A blocked key whose block ended but whose row was not swept yet also starts afresh.
    for (let i = 0; i < 2; i++) await store.increment(ended, 60_000, 2, 60_000, 'login-username');
    expect((await store.increment(ended, 60_000, 2, 60_000, 'login-username')).isBlocked).toBe(true);
    await t.dataSource.query(
      `UPDATE login_throttle SET blocked_until = now() - interval '1 second' WHERE key = $1`,
      [`login-username:${ended}`],
    );
    expect(await store.increment(ended, 60_000, 2, 60_000, 'login-username')).toMatchObject({
      totalHits: 1,
      isBlocked: false,
    });
  });
});

describe('Sign-in with REDIS_URL', () => {
  let redis: TestRedis;
  let t: TestApp;
  beforeAll(async () => {
    redis = await startTestRedis();
    t = await createTestApp({}, { REDIS_URL: redis.url, LOGIN_RATE_LIMIT_PER_USERNAME: '2' });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  const attempt = (password = TEST_DEMO_PASSWORD) =>
    request(t.server).post('/api/v1/auth/login').send({ username: 'kr.auditor', password });

  it('counts failed attempts in Redis, not in PostgreSQL, and answers 503 (never 500 or a pass) while Redis is away', async () => {
    await attempt().expect(200); // a successful sign-in is not counted
    await attempt('not the password at all').expect(401);
    await attempt('not the password at all').expect(401);
    await attempt().expect(429);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM login_throttle`)).toEqual([{ n: 0 }]);

    const stderr = jest.spyOn(console, 'error');
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await redis.stop();
    const res = await attempt().expect(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toMatchObject({ status: 503, title: 'Service unavailable' });
    // Said once in the app's log, not as ioredis's "Unhandled error event" on stderr at every retry.
    expect(warn.mock.calls.filter(([m]) => String(m).startsWith('Redis unreachable'))).toHaveLength(1);
    expect(stderr.mock.calls.filter(([m]) => String(m).includes('[ioredis]'))).toEqual([]);
  });
});
