import type { NotificationInput } from '../common/notification-events';

/** What notifications tell the rest of the house through `DomainEventBus`, inside the notice's transaction. */

/** A notification row was written; webhook subscriptions that match it get a pending delivery. */
export class NotificationRecorded {
  constructor(
    readonly notificationId: string,
    readonly notice: NotificationInput,
  ) {}
}
