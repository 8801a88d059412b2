import { Logger } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { fork } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as lockfile from 'proper-lockfile';
import { DataSource, MigrationInterface } from 'typeorm';
import { allMigrations } from '../../migrations';
import { dataSourceOptions, sessionSettingArgs } from './database-options';

const EMBEDDED_SHARED_BUFFERS = '8MB';
/** PGlite serves one session; PostgreSQL's default of 100 sizes lock and process tables for 100. */
const EMBEDDED_MAX_CONNECTIONS = '5';

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

  /**
   * With `migrate`, pending migrations run first, on an instance of their own (see `migrateApart`);
   * when none is pending (every restart) the instance that looked serves.
   */
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
      // A new directory (no cluster yet) has everything to migrate: no instance opens just to look.
      const fresh = !existsSync(join(directory, 'PG_VERSION'));
      let pglite = fresh && migrate ? undefined : await EmbeddedDatabase.create(directory);
      if (migrate) {
        if (!pglite || (await EmbeddedDatabase.hasPendingMigrations(pglite))) {
          await pglite?.close();
          await EmbeddedDatabase.migrateApart(directory);
          pglite = undefined;
        } else {
          EmbeddedDatabase.logger.log('No migration pending');
        }
      }
      pglite ??= await EmbeddedDatabase.create(directory);
      EmbeddedDatabase.logger.log(`Embedded PostgreSQL (PGlite) open at ${directory}`);
      return new EmbeddedDatabase(pglite, directory, release);
    } catch (error) {
      await release().catch(() => undefined);
      throw error;
    }
  }

  private static create(directory: string): Promise<PGlite> {
    return PGlite.create(directory, {
      extensions: { pg_trgm, fuzzystrmatch },
      // PostgreSQL's own default of 128 MB of shared buffers lives in the WASM heap, resident for good
      // once touched (start-up's catalog reads fill them): the embedded default is for one user trying
      // the service, and the OS caches the data files anyway. 8 MB keeps an idle server ~120 MB smaller
      // than the default, ~10 MB smaller than 16 MB (bench/README.md, session 28).
      startParams: [
        ...PGlite.defaultStartParams,
        '-c',
        `shared_buffers=${EMBEDDED_SHARED_BUFFERS}`,
        '-c',
        `max_connections=${EMBEDDED_MAX_CONNECTIONS}`,
        ...sessionSettingArgs(),
      ],
    });
  }

  /**
   * A WASM heap only grows: what the migrations (index builds, whole-table rewrites) once touched stays
   * resident for the life of the instance, and V8's compiler memory for PostgreSQL's WASM stays in the
   * process's malloc arena after it is freed. So the built server migrates in a short-lived process of
   * its own (`embedded-migrate.js`), and the one that serves never holds that peak (first start idle
   * ~314 → ~260 MB, bench/README "Session 12: embedded idle"). Run from TypeScript sources (jest,
   * ts-node) there is no compiled entry to start, so the migrations run here on an instance of their own.
   */
  private static async migrateApart(directory: string): Promise<void> {
    const entry = join(__dirname, 'embedded-migrate.js');
    const applied =
      __filename.endsWith('.js') && existsSync(entry)
        ? await migrateInChild(entry, directory)
        : await EmbeddedDatabase.migrate(directory);
    if (applied) EmbeddedDatabase.logger.log(`Migrations applied: ${applied}`);
  }

  /** Applies the pending migrations on an instance of its own, closed afterwards; answers how many. */
  static async migrate(directory: string): Promise<number> {
    const pglite = await EmbeddedDatabase.create(directory);
    try {
      const dataSource = new DataSource(
        dataSourceOptions({ poolSize: 1, embeddedPgConfig: EmbeddedDatabase.pgConfigOf(pglite) }),
      );
      await dataSource.initialize();
      try {
        return (await dataSource.runMigrations({ transaction: 'each' })).length;
      } finally {
        await dataSource.destroy();
      }
    } finally {
      await pglite.close();
    }
  }

  /**
   * Whether a migration of the app's list is not in TypeORM's table yet (the same names TypeORM
   * compares). A restart then opens one instance, not two: a closed instance's WASM memory (~30 MB
   * resident) stays until V8's next full collection, which an idle server may not run for a minute
   * (bench/README "Session 9: embedded idle").
   */
  private static async hasPendingMigrations(pglite: PGlite): Promise<boolean> {
    const {
      rows: [table],
    } = await pglite.query<{ present: boolean }>(
      `SELECT to_regclass('schema_migrations') IS NOT NULL AS present`,
    );
    if (!table?.present) return true;
    const { rows } = await pglite.query<{ name: string }>(`SELECT name FROM schema_migrations`);
    const applied = new Set(rows.map((row) => row.name));
    return allMigrations.some((migration) => !applied.has(migrationName(migration)));
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

/**
 * Runs `embedded-migrate.js` with this process's flags and output; answers the count of migrations it
 * applied (sent back over the IPC channel), or rejects unless it exits with 0.
 */
function migrateInChild(script: string, directory: string): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    let applied = 0;
    const child = fork(script, [directory], { stdio: 'inherit' });
    child.on('message', (message: { applied?: unknown }) => {
      if (typeof message?.applied === 'number') applied = message.applied;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0
        ? resolvePromise(applied)
        : reject(
            new Error(
              `Migrating the embedded database failed (${signal ?? `exit code ${code}`}); see above.`,
            ),
          ),
    );
  });
}

/** TypeORM's name of a migration: its `name` property, else its class name (MigrationExecutor). */
function migrationName(migration: new () => MigrationInterface): string {
  return new migration().name ?? migration.name;
}
