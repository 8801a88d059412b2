import type { AssetFreezeRequestView, FreezeTargetView } from './dto/asset-freeze-request.dto';
import { isFinal, LedgerStep, nextSteps, stillFrozen } from './freeze-ledger';
import { FreezeStepRow, FreezeTargetRow, ledgerOf } from './freeze-targets.store';
import { formatAmount, Money, totalsByCurrency } from './money';

/** Engine actions that are execution steps on one target, and the step each stands for. */
export const STEP_ACTIONS: Record<LedgerStep, string> = {
  freeze: 'freeze',
  recover: 'recover',
  return: 'returnFunds',
  release: 'release',
  closeOut: 'closeOut',
};

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const money = (amount: string, currency: string) => ({ amount: formatAmount(new Money(amount)), currency });

export function toTargetView(
  row: FreezeTargetRow,
  steps: FreezeStepRow[],
  engineActions: readonly string[],
): FreezeTargetView {
  const ledger = ledgerOf(row);
  return {
    id: row.id,
    type: row.target_type,
    institutionName: row.institution_name,
    institutionCode: row.institution_code,
    accountNumber: row.account_number,
    holderName: row.holder_name,
    borrowedName: row.borrowed_name,
    personId: row.person_id,
    chain: row.chain,
    address: row.address,
    exchangeName: row.exchange_name,
    amountSought: money(row.amount_sought, row.currency),
    grounds: {
      summary: row.grounds.summary,
      victimLosses: (row.grounds.victimLosses ?? []).map((v) => ({
        personId: v.personId,
        loss: money(v.loss.amount, v.loss.currency),
      })),
    },
    outcome: row.outcome,
    frozen: formatAmount(ledger.frozen),
    recovered: formatAmount(ledger.recovered),
    returned: formatAmount(ledger.returned),
    released: formatAmount(ledger.released),
    stillFrozen: formatAmount(stillFrozen(ledger)),
    institutionReference: row.institution_reference,
    frozenAt: iso(row.frozen_at),
    closedOutAt: iso(row.closed_out_at),
    closeOutReason: row.close_out_reason,
    final: isFinal(ledger),
    allowedSteps: nextSteps(ledger).filter((s) => engineActions.includes(STEP_ACTIONS[s])),
    steps: steps
      .filter((s) => s.target_id === row.id)
      .map((s) => ({
        step: s.step,
        outcome: s.outcome,
        amount: s.amount !== null && s.currency !== null ? money(s.amount, s.currency) : null,
        details: s.details,
        actorUsername: s.actor_username,
        actorCountry: s.actor_country,
        at: new Date(s.at).toISOString(),
      })),
  };
}

/** What an asset freeze adds to the shared request header: its targets and their totals. */
export function assetFreezeExtras(
  rows: FreezeTargetRow[],
  steps: FreezeStepRow[],
  engineActions: readonly string[],
): Pick<AssetFreezeRequestView, 'kind' | 'targets' | 'totals' | 'allTargetsFinal'> {
  const targets = rows.map((row) => toTargetView(row, steps, engineActions));
  const ledgers = rows.map((row) => {
    const l = ledgerOf(row);
    return {
      currency: row.currency,
      sought: new Money(row.amount_sought),
      frozen: l.frozen,
      recovered: l.recovered,
      returned: l.returned,
      released: l.released,
      stillFrozen: stillFrozen(l),
    };
  });
  return {
    kind: 'asset_freeze',
    targets,
    totals: totalsByCurrency(ledgers, [
      'sought',
      'frozen',
      'recovered',
      'returned',
      'released',
      'stillFrozen',
    ] as const),
    allTargetsFinal: targets.every((t) => t.final),
  };
}
