import type { DataSourceOptions } from 'typeorm';
import { allMigrations } from '../../migrations';
import { NamingClient } from './named-statements';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export interface DatabaseSettings {
  /** A real PostgreSQL server; when absent, `embeddedPgConfig` must be given. */
  url?: string;
  poolSize: number;
  /**
   * PostgreSQL's `idle_in_transaction_session_timeout` for every connection of the pool, in ms (0 or
   * absent: the server's setting). A session left idle inside a transaction is ended by the server.
   */
  idleInTransactionTimeoutMs?: number;
  embeddedPgConfig?: Record<string, unknown>;
}

/**
 * Settings every session of the app's database starts with (node-postgres start-up `options`; the
 * embedded server's start parameters). `pg_trgm.word_similarity_threshold`: the person search's
 * misspelling match is the `<%` operator, which the trigram index can serve, and `<%` reads its
 * threshold from this setting (0.6 by default); the search means 0.5. As `word_similarity(…) >= 0.5`
 * it was a function call no index serves: every person of every country was compared, 0.3–1.5 s a
 * search at 20,000 persons.
 */
export const SESSION_SETTINGS: Readonly<Record<string, string>> = {
  'pg_trgm.word_similarity_threshold': '0.5',
};

/** `SESSION_SETTINGS` as PostgreSQL's command-line arguments (`-c name=value` pairs). */
export function sessionSettingArgs(): string[] {
  return Object.entries(SESSION_SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}

/** One definition of the connection for the app, the TypeORM CLI and the test set-up. */
export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    synchronize: false,
    migrations: allMigrations,
    migrationsTransactionMode: 'each' as const,
    migrationsTableName: 'schema_migrations',
    namingStrategy: new SnakeNamingStrategy(),
    uuidExtension: 'pgcrypto' as const,
    installExtensions: false,
  };
  if (settings.url) {
    return {
      ...common,
      url: settings.url,
      poolSize: settings.poolSize,
      extra: {
        // Long parameterised reads run as named prepared statements (named-statements.ts).
        Client: NamingClient,
        max: settings.poolSize,
        connectionTimeoutMillis: 10_000,
        options: sessionSettingArgs().join(' '),
        // Sent by node-postgres as a start-up parameter, so it holds from the connection's first statement.
        ...(settings.idleInTransactionTimeoutMs
          ? { idle_in_transaction_session_timeout: settings.idleInTransactionTimeoutMs }
          : {}),
      },
    };
  }
  if (!settings.embeddedPgConfig)
    throw new Error('Either a database URL or the embedded database is required');
  return { ...common, poolSize: 1, extra: settings.embeddedPgConfig };
}
