import type { RequestKind } from './cross-border-request.entity';
import { BASE_TRANSITIONS, TransitionTable } from './request-lifecycle';

/** A step that tells the other side something needs the request's framework active that day. */
const ACTIVE = 'frameworkActive';

/** The transition table of each request kind: the shared life cycle plus the kind's own steps. */
export const REQUEST_KIND_TRANSITIONS: Partial<Record<RequestKind, TransitionTable>> = {
  information: {
    ...BASE_TRANSITIONS,
    /** The target liaison hands the request to one of their officers. */
    assign: { from: ['accepted'], to: null, side: 'target', roles: ['liaison'] },
    fulfil: { ...BASE_TRANSITIONS.fulfil, guards: ['assigneeOrLiaison', 'frameworkActive'] },
  },
  /** A list of proposed blacklist entries; the banning country decides each entry while `accepted`. */
  blacklist: { ...BASE_TRANSITIONS, fulfil: { ...BASE_TRANSITIONS.fulfil, roles: ['liaison'] } },
  asset_freeze: {
    ...BASE_TRANSITIONS,
    assign: { from: ['accepted'], to: null, side: 'target', roles: ['liaison'] },
    /** Execution, target by target (`/asset-freeze-requests/:id/targets/:targetId/<step>`); `fulfil`
     * additionally needs every target to have a final outcome (checked by the asset-freeze service). */
    freeze: { from: ['accepted'], to: null, side: 'target', roles: ['officer', 'liaison'], guards: [ACTIVE] },
    recover: {
      from: ['accepted'],
      to: null,
      side: 'target',
      roles: ['officer', 'liaison'],
      guards: [ACTIVE],
    },
    returnFunds: {
      from: ['accepted'],
      to: null,
      side: 'target',
      roles: ['officer', 'liaison'],
      guards: [ACTIVE],
    },
    release: {
      from: ['accepted'],
      to: null,
      side: 'target',
      roles: ['officer', 'liaison'],
      guards: [ACTIVE],
    },
    closeOut: {
      from: ['accepted'],
      to: null,
      side: 'target',
      roles: ['officer', 'liaison'],
      guards: [ACTIVE],
    },
  },
  repatriation: {
    ...BASE_TRANSITIONS,
    /** Date, route, carrier and escorts; scheduling again keeps the earlier plans. */
    schedule: {
      from: ['accepted'],
      to: null,
      side: 'either',
      roles: ['officer', 'liaison'],
      guards: [ACTIVE],
    },
    /** The sending side records the handover of persons... */
    handover: {
      from: ['accepted'],
      to: null,
      side: 'either',
      roles: ['officer', 'liaison'],
      guards: ['sendingSide', ACTIVE],
    },
    /** ...and the receiving side confirms it; only then is a person handed over. */
    'confirm-handover': {
      from: ['accepted'],
      to: null,
      side: 'either',
      roles: ['officer', 'liaison'],
      guards: ['receivingSide', ACTIVE],
    },
    /** The sending side drops a person with a reason (released, charged locally, deceased). */
    drop: {
      from: ['accepted'],
      to: null,
      side: 'either',
      roles: ['officer', 'liaison'],
      guards: ['sendingSide', ACTIVE],
    },
  },
  /**
   * Consent to pass on (TLP 2.0): the holder asks the originator "may these persons go to country Y?";
   * the originator's liaison accepts (the grant is recorded) or rejects.
   */
  release: BASE_TRANSITIONS,
};

/** Human reference prefix per kind: `KR-INF-2026-000001`. */
export const REFERENCE_PREFIX: Record<RequestKind, string> = {
  information: 'INF',
  asset_freeze: 'AFR',
  repatriation: 'REP',
  blacklist: 'BLK',
  release: 'REL',
};

export function transitionsOf(kind: RequestKind): TransitionTable {
  const table = REQUEST_KIND_TRANSITIONS[kind];
  if (!table) throw new Error(`No transition table for request kind '${kind}'`);
  return table;
}
