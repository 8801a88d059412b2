import { Global, Module } from '@nestjs/common';
import { DeadlineService } from './deadline.service';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { NotificationSubscribers } from './notification-subscribers';

@Global()
@Module({
  controllers: [NotificationsController],
  providers: [NotificationsService, DeadlineService, NotificationSubscribers],
  exports: [NotificationsService, DeadlineService],
})
export class NotificationsModule {}
