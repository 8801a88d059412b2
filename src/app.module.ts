import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ProblemDetailsFilter } from './common/errors/problem-details.filter';
import { LoggingModule } from './common/logging.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { AuditModule } from './audit/audit.module';
import { AccessModule } from './access/access.module';
import { AuthModule } from './auth/auth.module';
import { CommonModule } from './common/common.module';
import { ReferenceDataModule } from './reference-data/reference-data.module';
import { SeedModule } from './seed/seed.module';
import { UsersModule } from './users/users.module';

/** The application's modules. `createApp` adds the validated configuration around them. */
@Module({
  imports: [
    LoggingModule,
    CommonModule,
    DatabaseModule,
    HealthModule,
    AuditModule,
    AccessModule,
    AuthModule,
    UsersModule,
    ReferenceDataModule,
    SeedModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
})
export class AppModule {}
