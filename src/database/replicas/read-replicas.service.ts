import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config.service';
import { replicaUrls } from '../../config/environment';

/** How long a standby that failed a query is left alone before it is tried again. */
export const REPLICA_COOL_DOWN_MS = 2000;

interface Standby {
  url: string;
  dataSource: DataSource;
  /** Not tried again before this time (ms since the epoch) after an error. */
  resting: number;
}

/**
 * The streaming standbys of DATABASE_REPLICA_URLS and the choice of one for a read. A standby serves a
 * caller's read only when it has replayed the caller's last committed write (read-your-writes: the
 * primary's WAL position after that write, in `caller_write_position`) and is not further behind the
 * primary than DATABASE_REPLICA_MAX_LAG_MS; otherwise, and for a standby that errs, the primary reads.
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
    for (const url of urls) {
      const options = this.primary.options as typeof this.primary.options & { extra?: object };
      // The primary's entities and naming, another server; connections open on first use, so a standby
      // that is down at start-up only means reads stay on the primary.
      const dataSource = new DataSource({
        ...options,
        url,
        migrations: [],
        migrationsRun: false,
        extra: { ...(options.extra ?? {}), max: this.config.get('DATABASE_POOL_SIZE') },
      } as typeof options);
      this.standbys.push({ url, dataSource, resting: 0 });
    }
    if (urls.length)
      this.logger.log(`Lists, statistics and audit reads may read from ${urls.length} standby(s)`);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      this.standbys.filter((s) => s.dataSource.isInitialized).map((s) => s.dataSource.destroy()),
    );
  }

  /** Remembers where the primary's WAL stood after `userId`'s write committed (call after the commit). */
  async recordWrite(userId: string): Promise<void> {
    if (!this.enabled) return;
    await this.primary.query(
      `INSERT INTO caller_write_position (user_id, position) VALUES ($1, pg_current_wal_insert_lsn())
       ON CONFLICT (user_id) DO UPDATE SET position = EXCLUDED.position, written_at = now()`,
      [userId],
    );
  }

  /** A standby's entity manager fit to serve `userId`'s read now, or null for the primary. */
  async managerFor(userId: string | null): Promise<{ manager: EntityManager; standby: string } | null> {
    const now = Date.now();
    const ready = this.standbys.filter((s) => s.resting <= now);
    if (!ready.length) return null;
    const standby = ready[this.next++ % ready.length]!;
    const [written] = userId
      ? await this.primary.query<Array<{ position: string }>>(
          `SELECT position::text FROM caller_write_position WHERE user_id = $1`,
          [userId],
        )
      : [];
    try {
      if (!standby.dataSource.isInitialized) await standby.dataSource.initialize();
      const [state] = await standby.dataSource.query<Array<{ fit: boolean }>>(
        // Behind by time only while WAL is still arriving unreplayed: an idle primary sends nothing, and
        // a standby that has replayed all it received is then as fresh as the primary.
        `SELECT pg_is_in_recovery()
            AND ($1::pg_lsn IS NULL OR coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false))
            AND (pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
                 OR pg_last_xact_replay_timestamp() >= now() - make_interval(secs => $2::int / 1000.0)) AS fit`,
        [written?.position ?? null, this.config.get('DATABASE_REPLICA_MAX_LAG_MS')],
      );
      return state?.fit ? { manager: standby.dataSource.manager, standby: standby.url } : null;
    } catch (error) {
      this.failed(standby.url, error);
      return null;
    }
  }

  /** A standby that erred rests for REPLICA_COOL_DOWN_MS; its reads go to the primary meanwhile. */
  failed(url: string, error: unknown): void {
    const standby = this.standbys.find((s) => s.url === url);
    if (!standby) return;
    standby.resting = Date.now() + REPLICA_COOL_DOWN_MS;
    this.logger.warn({ err: error, msg: 'A standby failed; reading from the primary for now' });
  }
}
