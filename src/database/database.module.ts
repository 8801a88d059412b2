import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ClsModule } from 'nestjs-cls';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config.service';
import { dataSourceOptions } from './database-options';
import type { EmbeddedDatabase } from './embedded-database';
import { TransactionService } from './transaction.service';

const EMBEDDED = Symbol('EmbeddedDatabase');

/**
 * Runs pending migrations on a short-lived connection as the role that owns the tables
 * (MIGRATION_DATABASE_URL), before the app opens its pool as the runtime role (DATABASE_URL).
 */
async function migrateAsOwner(url: string): Promise<void> {
  const owner = new DataSource(dataSourceOptions({ url, poolSize: 1 }));
  await owner.initialize();
  try {
    const applied = await owner.runMigrations({ transaction: 'each' });
    new Logger('Database').log(`Migrations run as the owner role: ${applied.length} applied`);
  } finally {
    await owner.destroy();
  }
}

/** Opens (and on shutdown closes) the embedded database when no DATABASE_URL is configured. */
@Injectable()
class EmbeddedDatabaseLifecycle implements OnApplicationShutdown {
  constructor(@Inject(EMBEDDED) private readonly embedded: EmbeddedDatabase | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.embedded?.close();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: EMBEDDED,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        config.usesEmbeddedDatabase
          ? // Loaded only here: PGlite's code (~1.7 MB of heap) has no use on real PostgreSQL.
            import('./embedded-database.js').then(({ EmbeddedDatabase }) =>
              EmbeddedDatabase.open(config.get('DATA_DIR'), config.get('MIGRATIONS_RUN')),
            )
          : null,
    },
    EmbeddedDatabaseLifecycle,
  ],
  exports: [EMBEDDED],
})
class EmbeddedDatabaseModule {}

@Global()
@Module({
  imports: [
    EmbeddedDatabaseModule,
    TypeOrmModule.forRootAsync({
      inject: [AppConfig, EMBEDDED],
      useFactory: async (config: AppConfig, embedded: EmbeddedDatabase | null) => {
        new Logger('Database').log(
          embedded ? 'Using the embedded database' : 'Using PostgreSQL at DATABASE_URL',
        );
        const ownerUrl = embedded ? undefined : config.get('MIGRATION_DATABASE_URL');
        if (ownerUrl && config.get('MIGRATIONS_RUN')) await migrateAsOwner(ownerUrl);
        return {
          ...dataSourceOptions({
            url: config.get('DATABASE_URL'),
            poolSize: config.get('DATABASE_POOL_SIZE'),
            idleInTransactionTimeoutMs: config.get('DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS'),
            embeddedPgConfig: embedded?.pgConfig(),
          }),
          autoLoadEntities: true,
          // With MIGRATION_DATABASE_URL the owner has migrated already; the runtime role could not. The
          // embedded database has been migrated on opening (EmbeddedDatabase.open).
          migrationsRun: config.get('MIGRATIONS_RUN') && !ownerUrl && !embedded,
          retryAttempts: 2,
        };
      },
    }),
    ClsModule.forRoot({
      global: true,
      plugins: [
        new ClsPluginTransactional({
          imports: [TypeOrmModule],
          adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: getDataSourceToken() }),
        }),
      ],
    }),
  ],
  providers: [TransactionService],
  exports: [TransactionService],
})
export class DatabaseModule {}
