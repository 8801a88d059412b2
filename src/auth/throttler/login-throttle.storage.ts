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
   * Seconds until `key`'s block in `throttlerName` ends, or 0 when it is not blocked: a read that
   * counts nothing, so a caller can be refused before its attempt is weighed (FailedSignInThrottle).
   */
  blockedForSeconds(key: string, throttlerName: string): Promise<number> {
    if (this.postgres) return this.postgres.blockedForSeconds(key, throttlerName);
    if (this.redis) {
      // The block key @nest-lab/throttler-storage-redis sets with PX, so it is gone once the block ends.
      const blocked = this.redis.redis.pttl(`{${key}:${throttlerName}}:blocked`);
      return this.reachable(blocked.then((ms) => (ms > 0 ? Math.ceil(ms / 1000) : 0)));
    }
    // ThrottlerStorageService keeps one record per key (our keys are per throttler); a record stays
    // `isBlocked` after its block has ended until the next hit resets it, so the end time decides.
    const record = this.memory?.storage.get(key);
    const left = record?.isBlocked ? record.blockExpiresAt - Date.now() : 0;
    return Promise.resolve(left > 0 ? Math.ceil(left / 1000) : 0);
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
