import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClsModule } from 'nestjs-cls';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config.service';
import { dataSourceOptions } from './database-options';
import { EmbeddedDatabase } from './embedded-database';
import { TransactionService } from './transaction.service';

const EMBEDDED = Symbol('EmbeddedDatabase');

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
        config.usesEmbeddedDatabase ? EmbeddedDatabase.open(config.get('DATA_DIR')) : null,
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
      useFactory: (config: AppConfig, embedded: EmbeddedDatabase | null) => {
        new Logger('Database').log(
          embedded ? 'Using the embedded database' : 'Using PostgreSQL at DATABASE_URL',
        );
        return {
          ...dataSourceOptions({
            url: config.get('DATABASE_URL'),
            poolSize: config.get('DATABASE_POOL_SIZE'),
            embeddedPgConfig: embedded?.pgConfig(),
          }),
          autoLoadEntities: true,
          migrationsRun: config.get('MIGRATIONS_RUN'),
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
