import type { RequestKindDefinition } from '../workflow/request-kind';
import { ASSIGN_TRANSITION, BASE_TRANSITIONS } from '../workflow/request-lifecycle';

/** Questions about persons, phones, accounts and compounds, answered with findings. */
export const INFORMATION_REQUEST_KIND: RequestKindDefinition = {
  kind: 'information',
  referencePrefix: 'INF',
  transitions: {
    ...BASE_TRANSITIONS,
    assign: ASSIGN_TRANSITION,
    fulfil: { ...BASE_TRANSITIONS.fulfil, guards: ['assigneeOrLiaison', 'frameworkActive'] },
  },
};
