import type { CountryRole } from '../common/permissions/roles';

/**
 * The life cycle every request kind shares (DOMAIN.md):
 * draft → submitted → sent → accepted → fulfilled → closed, with return, withdraw and reject.
 */
export const REQUEST_STATUSES = [
  'draft',
  'submitted',
  'sent',
  'accepted',
  'rejected',
  'fulfilled',
  'closed',
  'withdrawn',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const TERMINAL_STATUSES: readonly RequestStatus[] = ['rejected', 'closed', 'withdrawn'];

export type Side = 'origin' | 'target';

/** Named vetoes a transition may carry; the engine evaluates them (see `transition-guards.ts`). */
export type GuardName =
  | 'fourEyes'
  | 'frameworkActive'
  /** Ending an accepted request (withdraw, reject): only once the framework it relies on has ended. */
  | 'frameworkEndedIfAccepted'
  | 'assigneeOrLiaison'
  /** Repatriation: the country holding the persons (it hands them over) / the one taking them back. */
  | 'sendingSide'
  | 'receivingSide';

export interface TransitionRule {
  from: readonly RequestStatus[];
  /** `null` keeps the status (a kind-specific step inside a state, such as `assign`). */
  to: RequestStatus | null;
  /** `either`: both countries of the request (a guard may narrow it, as repatriation handovers do). */
  side: Side | 'either';
  roles: readonly CountryRole[];
  /** The engine's guards (`GuardName`) or ones the kind defines (`RequestKindDefinition.guards`). */
  guards?: readonly string[];
}

export type TransitionTable = Readonly<Record<string, TransitionRule>>;

export const BASE_TRANSITIONS = {
  submit: { from: ['draft'], to: 'submitted', side: 'origin', roles: ['officer'] },
  approve: {
    from: ['submitted'],
    to: 'sent',
    side: 'origin',
    roles: ['liaison'],
    guards: ['fourEyes', 'frameworkActive'],
  },
  return: { from: ['submitted'], to: 'draft', side: 'origin', roles: ['liaison'] },
  // Whatever the other side learns after `sent` needs the framework the request relies on to be active
  // that day: a request open when its framework ended is finished by withdrawing or rejecting it. Once
  // accepted, a request is finished by fulfilling it; but when its framework has ended it can no longer
  // be fulfilled, and would stay open for good, holding the accounts and arrests it names and overdue on
  // both sides: then the origin may withdraw it and the target reject it, as before acceptance.
  withdraw: {
    from: ['draft', 'submitted', 'sent', 'accepted'],
    to: 'withdrawn',
    side: 'origin',
    roles: ['officer', 'liaison'],
    guards: ['frameworkEndedIfAccepted'],
  },
  accept: { from: ['sent'], to: 'accepted', side: 'target', roles: ['liaison'], guards: ['frameworkActive'] },
  reject: {
    from: ['sent', 'accepted'],
    to: 'rejected',
    side: 'target',
    roles: ['liaison'],
    guards: ['frameworkEndedIfAccepted'],
  },
  fulfil: {
    from: ['accepted'],
    to: 'fulfilled',
    side: 'target',
    roles: ['officer', 'liaison'],
    guards: ['frameworkActive'],
  },
  close: { from: ['fulfilled'], to: 'closed', side: 'origin', roles: ['officer', 'liaison'] },
} as const satisfies TransitionTable;

/** The target liaison hands the request to one of their officers (kinds that need it add it). */
export const ASSIGN_TRANSITION = {
  from: ['accepted'],
  to: null,
  side: 'target',
  roles: ['liaison'],
} as const satisfies TransitionRule;

/** The target's steps whose comment is its own internal note (which officer, and why). */
export const INTERNAL_TARGET_STEPS: readonly string[] = ['assign'];

/**
 * Whether a step's comment is read by the other country: the target's answers are (accept, reject,
 * fulfil, the steps of carrying a request out) but for its internal steps; the origin's comments are its
 * own notes. `RequestThreadService.history` shows comments by this rule, and the engine weighs what
 * it lets through with the release rule.
 */
export function commentReachesOtherSide(action: string, side: Side | null): boolean {
  return side === 'target' && !INTERNAL_TARGET_STEPS.includes(action);
}

/**
 * Checked at start-up: every state is known and reachable from `draft`, terminal states have no exit,
 * and every rule names at least one role. Returns the problems found (empty when the table is sound).
 */
export function checkTransitionTable(table: TransitionTable): string[] {
  const problems: string[] = [];
  const known = new Set<string>(REQUEST_STATUSES);
  for (const [action, rule] of Object.entries(table)) {
    for (const s of rule.from) if (!known.has(s)) problems.push(`${action}: unknown from-state '${s}'`);
    if (rule.to && !known.has(rule.to)) problems.push(`${action}: unknown to-state '${rule.to}'`);
    if (rule.from.some((s) => TERMINAL_STATUSES.includes(s)))
      problems.push(`${action}: leaves a terminal state`);
    if (!rule.roles.length) problems.push(`${action}: no role may do it`);
  }
  const reached = new Set<string>(['draft']);
  for (let grew = true; grew;) {
    grew = false;
    for (const rule of Object.values(table)) {
      if (rule.to && !reached.has(rule.to) && rule.from.some((s) => reached.has(s))) {
        reached.add(rule.to);
        grew = true;
      }
    }
  }
  for (const s of REQUEST_STATUSES) if (!reached.has(s)) problems.push(`state '${s}' cannot be reached`);
  return problems;
}
