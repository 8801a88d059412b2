import type { NotificationEvent } from '../common/notification-events';
import type { CountryRole } from '../common/permissions/roles';
import type { CrossBorderRequest } from './cross-border-request.entity';
import type { Side } from './request-lifecycle';

/** Who inside one side's country a hand-off is for: its holders of some roles, or named users. */
export type HandOffRecipients = { roles: readonly CountryRole[] } | { userIds: readonly string[] };

export interface HandOff {
  event: NotificationEvent;
  side: Side;
  to: HandOffRecipients;
}

/**
 * Steps that leave the next move to a colleague in the actor's own country, for every kind whose table
 * has the step: whoever must act next is told, or the work waits unseen. Never news for the other side
 * (a submitted or returned draft is the origin's alone; an assignment is the target's own business).
 * Read from the request as it was before the step and after it.
 */
export const HAND_OFFS: Readonly<
  Record<string, (before: CrossBorderRequest, after: CrossBorderRequest) => HandOff | null>
> = {
  /** A draft waits for a liaison's approval (four eyes: any liaison but its drafter and submitter). */
  submit: () => ({ event: 'request.submitted', side: 'origin', to: { roles: ['liaison'] } }),
  /** Sent back to draft: the officers who drafted and submitted it are the ones to mend it. */
  return: (before) => ({
    event: 'request.returned',
    side: 'origin',
    to: { userIds: [...new Set([before.createdBy, before.submittedBy ?? before.createdBy])] },
  }),
  /** The officer the target's liaison handed the request to. */
  assign: (_, after) =>
    after.assignedTo
      ? { event: 'request.assigned', side: 'target', to: { userIds: [after.assignedTo] } }
      : null,
};
