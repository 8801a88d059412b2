import type { RequestKindDefinition } from '../workflow/request-kind';
import { BASE_TRANSITIONS } from '../workflow/request-lifecycle';

/**
 * Consent to pass on (TLP 2.0): the holder asks the originator "may these persons go to country Y?";
 * the originator's liaison accepts (the grant is recorded) or rejects.
 */
export const RELEASE_REQUEST_KIND: RequestKindDefinition = {
  kind: 'release',
  referencePrefix: 'REL',
  transitions: BASE_TRANSITIONS,
};
