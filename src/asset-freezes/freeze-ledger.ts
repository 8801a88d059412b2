import { Amount, AMOUNT_LIMIT, formatAmount, Money } from './money';

/**
 * What happened to one target's funds, and the rules that keep it consistent. Every amount is in the
 * target's one currency. Invariants: returned + released + stillFrozen = frozen (so stillFrozen is never
 * negative), recovered ≤ frozen, and returned ≤ recovered: victims are paid from funds actually
 * recovered, never from money only frozen.
 *
 * A target is **final** when nothing more is expected from the target country:
 * - its freeze outcome is `not_found` or `funds_moved`; or
 * - it was `frozen` and nothing is still frozen (everything returned to victims or released); or
 * - the target country closed it out explicitly (for example funds forfeited to the state, or held frozen
 *   under a court order for years), with a reason.
 */
export const FREEZE_OUTCOMES = ['frozen', 'not_found', 'funds_moved'] as const;
export type FreezeOutcome = (typeof FREEZE_OUTCOMES)[number];

export interface TargetLedger {
  outcome: FreezeOutcome | null;
  frozen: Amount;
  recovered: Amount;
  returned: Amount;
  released: Amount;
  closedOut: boolean;
}

export type LedgerStep = 'freeze' | 'recover' | 'return' | 'release' | 'closeOut';

/** A step that would break the ledger's rules: 409, nothing changed. */
export class LedgerViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LedgerViolation';
  }
}

export const emptyLedger = (): TargetLedger => ({
  outcome: null,
  frozen: new Money(0),
  recovered: new Money(0),
  returned: new Money(0),
  released: new Money(0),
  closedOut: false,
});

export const stillFrozen = (l: TargetLedger): Amount => l.frozen.minus(l.returned).minus(l.released);

export function isFinal(l: TargetLedger): boolean {
  if (l.closedOut) return true;
  if (l.outcome === 'not_found' || l.outcome === 'funds_moved') return true;
  return l.outcome === 'frozen' && stillFrozen(l).isZero();
}

/** The steps the ledger allows next (before roles and the request's state are considered). */
export function nextSteps(l: TargetLedger): LedgerStep[] {
  if (isFinal(l)) return [];
  if (l.outcome === null) return ['freeze'];
  const steps: LedgerStep[] = ['freeze'];
  if (l.recovered.lessThan(l.frozen)) steps.push('recover');
  if (l.returned.lessThan(l.recovered)) steps.push('return');
  steps.push('release', 'closeOut');
  return steps;
}

function requireOpen(l: TargetLedger, step: string): void {
  if (l.closedOut) throw new LedgerViolation(`This target was closed out; ${step} is no longer possible.`);
  if (l.outcome === 'not_found' || l.outcome === 'funds_moved')
    throw new LedgerViolation(`This target's outcome is '${l.outcome}'; nothing was frozen to ${step}.`);
}

function requireFrozen(l: TargetLedger, step: string): void {
  requireOpen(l, step);
  if (l.outcome !== 'frozen')
    throw new LedgerViolation(
      `Nothing has been frozen on this target yet; record the freeze before a ${step}.`,
    );
}

/**
 * Records a freeze outcome. The first freeze decides the outcome; while the outcome is `frozen`, a further
 * freeze adds funds caught later. `not_found` and `funds_moved` carry no amount and only come first.
 */
export function applyFreeze(l: TargetLedger, outcome: FreezeOutcome, amount: Amount | null): TargetLedger {
  requireOpen(l, 'freeze');
  if (outcome !== 'frozen') {
    if (l.outcome !== null)
      throw new LedgerViolation(
        `This target already has the outcome '${l.outcome}'; '${outcome}' cannot follow it.`,
      );
    if (amount && !amount.isZero())
      throw new LedgerViolation(`An outcome of '${outcome}' freezes no amount.`);
    return { ...l, outcome };
  }
  if (!amount || amount.isZero())
    throw new LedgerViolation('A freeze with outcome frozen needs the amount actually frozen.');
  if (l.outcome === 'frozen' && stillFrozen(l).isZero())
    throw new LedgerViolation('Everything frozen on this target was already returned or released.');
  const frozen = l.frozen.plus(amount);
  // Recovered, returned and released are bounded by what was frozen; only the frozen total can outgrow
  // what an amount may be.
  if (frozen.greaterThanOrEqualTo(AMOUNT_LIMIT))
    throw new LedgerViolation(
      `Freezing ${formatAmount(amount)} more would make ${formatAmount(frozen)} frozen, more than an amount may be (20 integer digits).`,
    );
  return { ...l, outcome: 'frozen', frozen };
}

export function applyRecover(l: TargetLedger, amount: Amount): TargetLedger {
  requireFrozen(l, 'recovery');
  const recovered = l.recovered.plus(amount);
  if (recovered.greaterThan(l.frozen))
    throw new LedgerViolation(
      `Recovering ${formatAmount(amount)} would make ${formatAmount(recovered)} recovered, more than the ${formatAmount(l.frozen)} frozen.`,
    );
  return { ...l, recovered };
}

function applyOutflow(l: TargetLedger, amount: Amount, step: 'return' | 'release'): TargetLedger {
  requireFrozen(l, step);
  const remaining = stillFrozen(l);
  if (amount.greaterThan(remaining))
    throw new LedgerViolation(
      `Cannot ${step} ${formatAmount(amount)}: only ${formatAmount(remaining)} of the ${formatAmount(l.frozen)} frozen is still frozen.`,
    );
  if (step === 'release') return { ...l, released: l.released.plus(amount) };
  const returnable = l.recovered.minus(l.returned);
  if (amount.greaterThan(returnable))
    throw new LedgerViolation(
      `Cannot return ${formatAmount(amount)} to victims: only ${formatAmount(l.recovered)} was recovered, ` +
        `of which ${formatAmount(returnable)} is not yet returned. Record the recovery first.`,
    );
  return { ...l, returned: l.returned.plus(amount) };
}

export const applyReturn = (l: TargetLedger, amount: Amount) => applyOutflow(l, amount, 'return');
export const applyRelease = (l: TargetLedger, amount: Amount) => applyOutflow(l, amount, 'release');

export function applyCloseOut(l: TargetLedger): TargetLedger {
  requireFrozen(l, 'close-out');
  return { ...l, closedOut: true };
}
