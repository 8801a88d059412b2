import { Logger } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import * as lockfile from 'proper-lockfile';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './database-options';

const EMBEDDED_SHARED_BUFFERS = '16MB';

/**
 * The embedded default: PostgreSQL compiled to WASM (PGlite), persisted under DATA_DIR, so the service
 * starts with nothing installed. It runs in this process, so exactly one process may own a data
 * directory: a second one is refused at start-up instead of corrupting the files.
 */
export class EmbeddedDatabase {
  private static readonly logger = new Logger('EmbeddedDatabase');

  private constructor(
    readonly pglite: PGlite,
    readonly directory: string,
    private readonly releaseLock: () => Promise<void>,
  ) {}

  /** With `migrate`, pending migrations run first, on an instance of their own (see `migrateApart`). */
  static async open(dataDir: string, migrate = false): Promise<EmbeddedDatabase> {
    const directory = resolve(dataDir, 'pgdata');
    mkdirSync(directory, { recursive: true });
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(directory, { stale: 15_000, update: 5_000, realpath: false });
    } catch (error) {
      if ((error as { code?: string }).code === 'ELOCKED') {
        throw new Error(`Data directory ${directory} is in use by another process; refusing to start.`);
      }
      throw error;
    }
    try {
      if (migrate) await EmbeddedDatabase.migrateApart(directory);
      const pglite = await EmbeddedDatabase.create(directory);
      EmbeddedDatabase.logger.log(`Embedded PostgreSQL (PGlite) open at ${directory}`);
      return new EmbeddedDatabase(pglite, directory, release);
    } catch (error) {
      await release().catch(() => undefined);
      throw error;
    }
  }

  private static create(directory: string): Promise<PGlite> {
    return PGlite.create(directory, {
      extensions: { pg_trgm },
      // PostgreSQL's own default of 128 MB of shared buffers lives in the WASM heap, resident for good
      // once touched: the embedded default is for one user trying the service, and the OS caches the
      // data files anyway. 16 MB keeps an idle server ~110 MB smaller.
      startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${EMBEDDED_SHARED_BUFFERS}`],
    });
  }

  /**
   * A WASM heap only grows: what the migrations (index builds, whole-table rewrites) once touched stays
   * resident for the life of the instance. So they run on an instance that is closed afterwards, and
   * the one that serves starts small.
   */
  private static async migrateApart(directory: string): Promise<void> {
    const pglite = await EmbeddedDatabase.create(directory);
    try {
      const dataSource = new DataSource(
        dataSourceOptions({ poolSize: 1, embeddedPgConfig: EmbeddedDatabase.pgConfigOf(pglite) }),
      );
      await dataSource.initialize();
      try {
        const applied = await dataSource.runMigrations({ transaction: 'each' });
        if (applied.length) EmbeddedDatabase.logger.log(`Migrations applied: ${applied.length}`);
      } finally {
        await dataSource.destroy();
      }
    } finally {
      await pglite.close();
    }
  }

  private static pgConfigOf(pglite: PGlite): Record<string, unknown> {
    return { ...createPgConfig(pglite), max: 1, idleTimeoutMillis: 0 };
  }

  /** node-postgres settings that talk to this PGlite instance: one connection, never recycled. */
  pgConfig(): Record<string, unknown> {
    return EmbeddedDatabase.pgConfigOf(this.pglite);
  }

  async close(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
    await this.releaseLock().catch(() => undefined);
  }
}
