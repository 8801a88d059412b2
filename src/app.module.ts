import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ProblemDetailsFilter } from './common/errors/problem-details.filter';
import { LoggingModule } from './common/logging.module';
import { DatabaseModule } from './database/database.module';
import { ReplicasModule } from './database/replicas/replicas.module';
import { HealthModule } from './health/health.module';
import { AuditModule } from './audit/audit.module';
import { AuditTrailModule } from './audit-trail/audit-trail.module';
import { AssetFreezesModule } from './asset-freezes/asset-freezes.module';
import { AccessModule } from './access/access.module';
import { SharingModule } from './sharing/sharing.module';
import { AuthModule } from './auth/auth.module';
import { CommonModule } from './common/common.module';
import { ReferenceDataModule } from './reference-data/reference-data.module';
import { SeedModule } from './seed/seed.module';
import { UsersModule } from './users/users.module';
import { BlacklistModule } from './blacklist/blacklist.module';
import { JobsModule } from './jobs/jobs.module';
import { NotificationsModule } from './notifications/notifications.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { StatsModule } from './stats/stats.module';
import { CasesModule } from './cases/cases.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { InformationRequestsModule } from './information-requests/information-requests.module';
import { PersonsModule } from './persons/persons.module';
import { WorkflowModule } from './workflow/workflow.module';
import { ArrestsModule } from './arrests/arrests.module';
import { RepatriationsModule } from './repatriations/repatriations.module';
import { ReleaseRequestsModule } from './release-requests/release-requests.module';
import { AttachmentsModule } from './attachments/attachments.module';
import { IdentifiersModule } from './identifiers/identifiers.module';
import { IdentifierChecksModule } from './identifier-checks/identifier-checks.module';
import { CorrelationAlertsModule } from './correlation-alerts/correlation-alerts.module';

/** The application's modules. `createApp` adds the validated configuration around them. */
@Module({
  imports: [
    LoggingModule,
    CommonModule,
    DatabaseModule,
    // Before IdempotencyModule: its interceptor (which holds an idempotent command's transaction) then
    // runs inside this one, so a write's WAL position is read after that transaction has committed.
    ReplicasModule,
    HealthModule,
    AuditModule,
    AuditTrailModule,
    AccessModule,
    SharingModule,
    AuthModule,
    UsersModule,
    ReferenceDataModule,
    SeedModule,
    IdempotencyModule,
    PersonsModule,
    CasesModule,
    WorkflowModule,
    InformationRequestsModule,
    BlacklistModule,
    JobsModule,
    NotificationsModule,
    WebhooksModule,
    StatsModule,
    AssetFreezesModule,
    ArrestsModule,
    RepatriationsModule,
    ReleaseRequestsModule,
    AttachmentsModule,
    IdentifiersModule,
    IdentifierChecksModule,
    CorrelationAlertsModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
})
export class AppModule {}
