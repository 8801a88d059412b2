import { Logger } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import * as lockfile from 'proper-lockfile';

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

  static async open(dataDir: string): Promise<EmbeddedDatabase> {
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
    const pglite = await PGlite.create(directory, { extensions: { pg_trgm } });
    EmbeddedDatabase.logger.log(`Embedded PostgreSQL (PGlite) open at ${directory}`);
    return new EmbeddedDatabase(pglite, directory, release);
  }

  /** node-postgres settings that talk to this PGlite instance: one connection, never recycled. */
  pgConfig(): Record<string, unknown> {
    return { ...createPgConfig(this.pglite), max: 1, idleTimeoutMillis: 0 };
  }

  async close(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
    await this.releaseLock().catch(() => undefined);
  }
}
