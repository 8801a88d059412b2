import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { CorrelationAlertsService } from './correlation-alerts.service';

/**
 * Correlation alerts: a record newly visible to a country that carries an identifier one of its open
 * cases holds is announced to the case's officer (found by a trigger on `identifier_index`).
 */
@Module({
  imports: [JobsModule, NotificationsModule],
  providers: [CorrelationAlertsService],
  exports: [CorrelationAlertsService],
})
export class CorrelationAlertsModule {}
