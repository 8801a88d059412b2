import type { RequestKindDefinition } from '../workflow/request-kind';
import type { AssetFreezeRequestView } from './dto/asset-freeze-request.dto';
import { ASSIGN_TRANSITION, BASE_TRANSITIONS, TransitionRule } from '../workflow/request-lifecycle';
import { TargetsNotFinalError } from './asset-freeze-errors';
import { isFinal } from './freeze-ledger';
import { ledgerOf, targetsOf } from './freeze-targets.store';

/** An execution step on one target (`/asset-freeze-requests/:id/targets/:targetId/<step>`). */
const TARGET_STEP: TransitionRule = {
  from: ['accepted'],
  to: null,
  side: 'target',
  roles: ['officer', 'liaison'],
  guards: ['frameworkActive'],
};

/** Bank accounts and crypto wallets, frozen, recovered, returned to victims or released target by target. */
export const ASSET_FREEZE_KIND: RequestKindDefinition = {
  kind: 'asset_freeze',
  referencePrefix: 'AFR',
  // Its view shows each account's holder by name, and the person it belongs to where one is linked.
  consultation: {
    action: 'asset_freeze',
    personsShown: (view) => [
      ...new Set((view as AssetFreezeRequestView).targets.flatMap((t) => (t.personId ? [t.personId] : []))),
    ],
  },
  transitions: {
    ...BASE_TRANSITIONS,
    assign: ASSIGN_TRANSITION,
    fulfil: { ...BASE_TRANSITIONS.fulfil, guards: ['frameworkActive', 'allTargetsFinal'] },
    freeze: TARGET_STEP,
    recover: TARGET_STEP,
    returnFunds: TARGET_STEP,
    release: TARGET_STEP,
    closeOut: TARGET_STEP,
  },
  /** An immediate freeze: 24 h for the banks to act. */
  dueHours: { immediate: 24 },
  guards: {
    /** Done only when every target has a final outcome. */
    allTargetsFinal: async ({ request, manager }) => {
      const open = (await targetsOf(manager, request.id))
        .filter((row) => !isFinal(ledgerOf(row)))
        .map((row) => row.id);
      if (!open.length) return null;
      const error = new TargetsNotFinalError(open);
      return { status: 409, reason: error.message, error };
    },
  },
  /**
   * Each target step is news for the origin (a freeze that found the funds gone, above all): told which
   * request, not what the step says; the origin reads that on the request, under its rules.
   */
  notifications: Object.fromEntries(
    ['freeze', 'recover', 'returnFunds', 'release', 'closeOut'].map((step) => [
      step,
      ['asset_freeze.target_step', 'origin'] as const,
    ]),
  ),
  /** The target steps are listed per target (`allowedSteps`), not among the request's actions. */
  unlisted: ['freeze', 'recover', 'returnFunds', 'release', 'closeOut'],
  /** The banks' clock runs: what is overdue for the caller comes first. */
  listOrder: 'overdueFirst',
};
