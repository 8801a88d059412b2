import { Module } from '@nestjs/common';
import { DeadlineService } from './deadline.service';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { NotificationSubscribers } from './notification-subscribers';
import { JobsModule } from '../jobs/jobs.module';

@Module({
  imports: [JobsModule],
  controllers: [NotificationsController],
  providers: [NotificationsService, DeadlineService, NotificationSubscribers],
  exports: [NotificationsService, DeadlineService],
})
export class NotificationsModule {}
