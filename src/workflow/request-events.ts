import type { NotificationEvent } from '../common/notification-events';
import type { CrossBorderRequest } from './cross-border-request.entity';
import type { HandOff } from './hand-offs';
import type { Side } from './request-lifecycle';

/**
 * What the request engine tells the rest of the house, through `DomainEventBus`, inside the step's
 * transaction. The engine does not know who listens (notifications do today): it only says what
 * happened and, from the kind's definition, which side the step is news for.
 */

/** A workflow step changed a request (its row, history and audit event are written). */
export class RequestStepTaken {
  constructor(
    readonly request: CrossBorderRequest,
    readonly action: string,
    /** Whom the step is news for, from the kind's `notifications` and `SHARED_NOTIFICATIONS`; null: nobody. */
    readonly notice: { event: NotificationEvent; side: Side } | null,
  ) {}
}

/**
 * A step inside one country left the next move to a colleague (`HAND_OFFS`): told once per step, also of
 * a request to several countries, whose threads take the step together.
 */
export class RequestHandedOff {
  constructor(
    readonly request: CrossBorderRequest,
    readonly handOff: HandOff,
  ) {}
}

/** A message was posted on a request's thread; the other side should hear of it. */
export class RequestMessagePosted {
  constructor(
    readonly request: CrossBorderRequest,
    readonly to: Side,
    readonly messageId: string,
  ) {}
}
