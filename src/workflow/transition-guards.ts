import type { Actor } from '../common/request-context';
import type { CrossBorderRequest, RequestTimeField } from './cross-border-request.entity';
import type { GuardName } from './request-lifecycle';

/** What the engine's guards read of a request: never its times, so a listed request (`ListedRequest`) will do. */
export type GuardedRequest = Omit<CrossBorderRequest, RequestTimeField>;

export interface GuardFacts {
  request: GuardedRequest;
  actor: Actor;
  /** Whether a framework shared by both countries is active today; looked up only when a rule needs it. */
  frameworkActive?: boolean;
}

export interface Veto {
  /** 403: this person may not; 409: the situation does not allow it now. */
  status: 403 | 409;
  reason: string;
}

/**
 * An engine guard: its check, and when that check needs to know whether the request's framework is
 * active today (a fact read from the database, once per step: `WorkflowService`'s `LoadedFacts`).
 */
export interface EngineGuard {
  needsFramework?: (request: GuardedRequest) => boolean;
  check: (facts: GuardFacts) => Veto | null;
}

export const GUARDS: Record<GuardName, EngineGuard> = {
  fourEyes: {
    check: ({ request, actor }) =>
      request.submittedBy === actor.userId ||
      request.createdBy === actor.userId ||
      request.editedBy.includes(actor.userId)
        ? {
            status: 403,
            reason: 'Four eyes: the person who drafted, edited or submitted a request cannot approve it.',
          }
        : null,
  },
  frameworkActive: {
    needsFramework: () => true,
    check: ({ frameworkActive }) =>
      frameworkActive === false
        ? { status: 409, reason: 'The cooperation framework is not active for both countries today.' }
        : null,
  },
  frameworkEndedIfAccepted: {
    needsFramework: (request) => request.status === 'accepted',
    check: ({ request, frameworkActive }) =>
      request.status === 'accepted' && frameworkActive !== false
        ? {
            status: 409,
            reason:
              'An accepted request is finished by fulfilling it; it can be withdrawn or rejected only once the cooperation framework it relies on has ended.',
          }
        : null,
  },
  assigneeOrLiaison: {
    check: ({ request, actor }) =>
      actor.roles.includes('liaison') || request.assignedTo === actor.userId
        ? null
        : { status: 403, reason: 'Only the assigned officer or a liaison may fulfil this request.' },
  },
  sendingSide: {
    check: ({ request, actor }) =>
      request.payload.sendingCountry === actor.countryCode
        ? null
        : { status: 403, reason: 'Only the country holding the persons (the sending side) may do this.' },
  },
  receivingSide: {
    check: ({ request, actor }) =>
      request.payload.receivingCountry === actor.countryCode
        ? null
        : {
            status: 403,
            reason: 'Only the country taking the persons back (the receiving side) may do this.',
          },
  },
};
