import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions, EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config.service';
import { replicaUrls } from '../../config/environment';

/** The `caller_write_position` row of writes every reader waits for (`@ReducesVisibility()`). */
export const EVERYONE = '00000000-0000-0000-0000-000000000000';

/** How long a standby that failed is left alone before it is tried again. */
export const REPLICA_COOL_DOWN_MS = 2000;
/** A standby that does not accept a connection this fast is skipped (the primary reads instead). */
const STANDBY_CONNECT_TIMEOUT_MS = 1500;
export const REPLICA_APPLICATION_NAME = 'case-desk-replica-read';

interface Standby {
  url: string;
  dataSource: DataSource;
  opening: Promise<DataSource> | null;
  /** Not tried again before this time (ms since the epoch) after an error. */
  restingUntil: number;
}

export interface ChosenStandby {
  url: string;
  manager: EntityManager;
}

/**
 * The streaming standbys of DATABASE_REPLICA_URLS and the choice of one for a read. A standby serves a
 * caller's read only when it has replayed the caller's last committed write (read-your-writes: the
 * primary's WAL position after that write, kept in `caller_write_position`) and is not further behind
 * the primary than DATABASE_REPLICA_MAX_LAG_MS; otherwise, and while a standby errs, the primary reads.
 *
 * Each standby is a DataSource of its own rather than TypeORM's `replication` option: that one opens a
 * pool to every standby at start-up (a standby down would stop the app from starting) and hands out a
 * random one per query runner, so a lagging or failed standby could not be skipped.
 */
@Injectable()
export class ReadReplicas implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ReadReplicas');
  private readonly standbys: Standby[] = [];
  private next = 0;

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly primary: DataSource,
  ) {}

  get enabled(): boolean {
    return this.standbys.length > 0;
  }

  onModuleInit(): void {
    const urls = this.config.usesEmbeddedDatabase
      ? []
      : replicaUrls(this.config.get('DATABASE_REPLICA_URLS'));
    const options = this.primary.options as DataSourceOptions & { extra?: Record<string, unknown> };
    for (const url of urls) {
      // The primary's entities and naming on another server. Nothing connects before the first read, so
      // a standby that is down at start-up only keeps reads on the primary.
      const dataSource = new DataSource({
        ...options,
        url,
        migrations: [],
        migrationsRun: false,
        extra: {
          ...(options.extra ?? {}),
          connectionTimeoutMillis: STANDBY_CONNECT_TIMEOUT_MS,
          application_name: REPLICA_APPLICATION_NAME,
        },
      } as DataSourceOptions);
      this.standbys.push({ url, dataSource, opening: null, restingUntil: 0 });
    }
    if (urls.length)
      this.logger.log(`Lists, statistics and audit reads may read from ${urls.length} standby(s)`);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      this.standbys.filter((s) => s.dataSource.isInitialized).map((s) => s.dataSource.destroy()),
    );
  }

  /**
   * Remembers where the primary's WAL stood once `userId`'s write had committed (call after COMMIT);
   * `EVERYONE` for a write every reader must wait for (`@ReducesVisibility()`).
   */
  async recordWrite(userId: string): Promise<void> {
    if (!this.enabled) return;
    // The insert position is at or past the commit record of every transaction committed before it.
    await this.primary.query(
      `INSERT INTO caller_write_position (user_id, position) VALUES ($1, pg_current_wal_insert_lsn())
       ON CONFLICT (user_id) DO UPDATE SET position = EXCLUDED.position, written_at = now()`,
      [userId],
    );
  }

  /**
   * A standby fit to serve `userId`'s read now, or null: the primary reads. A standby's error is not
   * the caller's: it rests, and the primary reads.
   */
  async standbyFor(userId: string | null): Promise<ChosenStandby | null> {
    const now = Date.now();
    const ready = this.standbys.filter((s) => s.restingUntil <= now);
    if (!ready.length) return null;
    const standby = ready[this.next++ % ready.length]!;
    // The caller's own last write, and the last write that took something out of anyone's sight.
    const [written] = await this.primary.query<Array<{ position: string | null }>>(
      `SELECT max(position)::text AS position FROM caller_write_position WHERE user_id = ANY($1::uuid[])`,
      [userId ? [userId, EVERYONE] : [EVERYONE]],
    );
    try {
      const dataSource = await this.open(standby);
      const [state] = await dataSource.query<Array<{ fit: boolean }>>(
        // Behind in time only while WAL has arrived that is not replayed: an idle primary sends nothing,
        // and a standby that has replayed all it received is then as fresh as the primary.
        `SELECT pg_is_in_recovery()
            AND ($1::pg_lsn IS NULL OR coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false))
            AND (pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
                 OR pg_last_xact_replay_timestamp() >= now() - make_interval(secs => $2::int / 1000.0))
            AS fit`,
        [written?.position ?? null, this.config.get('DATABASE_REPLICA_MAX_LAG_MS')],
      );
      return state?.fit ? { url: standby.url, manager: dataSource.manager } : null;
    } catch (error) {
      this.failed(standby.url, error);
      return null;
    }
  }

  /** A standby that erred rests for REPLICA_COOL_DOWN_MS; its reads go to the primary meanwhile. */
  failed(url: string, error: unknown): void {
    const standby = this.standbys.find((s) => s.url === url);
    if (!standby) return;
    standby.restingUntil = Date.now() + REPLICA_COOL_DOWN_MS;
    this.logger.warn({ err: error, msg: 'A standby failed; reading from the primary for now' });
  }

  /** Connects on first use, once even when several reads ask at the same moment. */
  private open(standby: Standby): Promise<DataSource> {
    if (standby.dataSource.isInitialized) return Promise.resolve(standby.dataSource);
    standby.opening ??= standby.dataSource.initialize().finally(() => {
      standby.opening = null;
    });
    return standby.opening;
  }
}
