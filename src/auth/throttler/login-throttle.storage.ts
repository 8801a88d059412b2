import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ServiceUnavailableError } from '../../common/errors/domain-errors';
import { AppConfig } from '../../config/app-config.service';
import { PostgresThrottlerStorage } from './postgres-throttler.storage';

export type LoginThrottleBackend = 'redis' | 'postgres' | 'memory';

/**
 * Where the sign-in counters live, chosen once at start-up so that every instance counts against one
 * limit: Redis when REDIS_URL is set (the NestJS ecosystem's storage for it), else the PostgreSQL the
 * instances share. Process memory only on the embedded database, which one process holds at a time.
 */
@Injectable()
export class LoginThrottleStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('LoginThrottle');
  readonly backend: LoginThrottleBackend;
  readonly postgres: PostgresThrottlerStorage | null = null;
  private readonly store: ThrottlerStorage;
  private readonly redis: ThrottlerStorageRedisService | null = null;
  private readonly memory: ThrottlerStorageService | null = null;

  constructor(config: AppConfig, @InjectDataSource() dataSource: DataSource) {
    const redisUrl = config.get('REDIS_URL');
    if (redisUrl) {
      // Fail a sign-in quickly while Redis is away instead of queueing it for as long as that lasts.
      this.redis = new ThrottlerStorageRedisService(redisUrl, {
        maxRetriesPerRequest: 1,
        connectTimeout: 5_000,
      });
      this.watchRedis(this.redis);
      this.store = this.redis;
      this.backend = 'redis';
    } else if (!config.usesEmbeddedDatabase) {
      this.postgres = new PostgresThrottlerStorage(dataSource);
      this.store = this.postgres;
      this.backend = 'postgres';
    } else {
      this.memory = new ThrottlerStorageService();
      this.store = this.memory;
      this.backend = 'memory';
    }
    this.logger.log(`Sign-in rate-limit counters kept in ${this.backend}`);
  }

  /**
   * ioredis writes every failed reconnect to stderr as an "Unhandled error event" unless the client has
   * a listener: one warning in the app's log when Redis goes away, and a line when it is back.
   */
  private watchRedis(storage: ThrottlerStorageRedisService): void {
    let away = false;
    storage.redis.on('error', (error: Error) => {
      if (away) return;
      away = true;
      this.logger.warn(`Redis unreachable (${error.message}): sign-ins are answered 503 until it is back`);
    });
    storage.redis.on('ready', () => {
      if (!away) return;
      away = false;
      this.logger.log('Redis reachable again');
    });
  }

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    return this.reachable(this.store.increment(key, ttl, limit, blockDuration, throttlerName));
  }

  /**
   * Takes back one hit of `key` in `throttlerName` (never below none): an attempt counted before it was
   * weighed that turned out not to count (a right password: FailedSignInThrottle). Its window and any
   * block stay as they are.
   */
  refund(key: string, throttlerName: string): Promise<void> {
    if (this.postgres) return this.postgres.refund(key, throttlerName);
    if (this.redis)
      // The hits key @nest-lab/throttler-storage-redis counts with INCR; DECR keeps its expiry.
      return this.reachable(
        this.redis.redis
          .eval(
            `if redis.call('GET', KEYS[1]) and tonumber(redis.call('GET', KEYS[1])) > 0 then return redis.call('DECR', KEYS[1]) end return 0`,
            1,
            `{${key}:${throttlerName}}:hits`,
          )
          .then(() => undefined),
      );
    // ThrottlerStorageService counts a hit as an expiry time in a list beside the count.
    const memory = this.memory as unknown as {
      storage: Map<string, { totalHits: Map<string, number> }>;
      hitExpirations: Map<string, Map<string, number[]>>;
    };
    const record = memory.storage.get(key);
    const hits = memory.hitExpirations.get(key)?.get(throttlerName);
    if (record && hits?.length) {
      hits.pop();
      record.totalHits.set(throttlerName, hits.length);
    }
    return Promise.resolve();
  }

  /**
   * PostgreSQL's outages are recognised by the problem filter (503). Without its counter no attempt
   * may pass, and Redis being away is not the caller's fault: 503 too.
   */
  private reachable<T>(pending: Promise<T>): Promise<T> {
    if (!this.redis) return pending;
    return pending.catch((error: unknown) => {
      this.logger.error({ err: error }, 'sign-in counter not reachable in Redis');
      throw new ServiceUnavailableError(
        'Sign-in is unavailable for a moment; nothing was changed. Try again shortly.',
      );
    });
  }

  /** Not a Nest provider of its own, so its connection is closed here. */
  onApplicationShutdown(): void {
    this.redis?.onModuleDestroy();
    (this.store as Partial<OnApplicationShutdown>).onApplicationShutdown?.();
  }
}
