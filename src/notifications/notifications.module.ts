import { Global, Module } from '@nestjs/common';
import { DeadlineService } from './deadline.service';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';

@Global()
@Module({
  controllers: [NotificationsController],
  providers: [NotificationsService, DeadlineService],
  exports: [NotificationsService, DeadlineService],
})
export class NotificationsModule {}
