import type { RequestKindDefinition } from '../workflow/request-kind';
import { BASE_TRANSITIONS } from '../workflow/request-lifecycle';

/**
 * Consent to pass on (TLP 2.0): the holder asks the originator "may these persons go to country Y?";
 * the originator's liaison accepts (the grant is recorded) or rejects.
 */
export const RELEASE_REQUEST_KIND: RequestKindDefinition = {
  kind: 'release',
  referencePrefix: 'REL',
  transitions: {
    ...BASE_TRANSITIONS,
    // Its acceptance is the consent itself, recorded for good (`release_grant`), and it holds nothing:
    // a withdrawal or rejection after it would misstate a consent given. It ends as before acceptance.
    withdraw: { ...BASE_TRANSITIONS.withdraw, from: ['draft', 'submitted', 'sent'], guards: [] },
    reject: { ...BASE_TRANSITIONS.reject, from: ['sent'], guards: [] },
  },
};
