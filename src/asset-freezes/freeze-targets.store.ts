import type { EntityManager } from 'typeorm';
import type { FreezeOutcome, TargetLedger } from './freeze-ledger';
import { Money } from './money';

/** A row of `asset_freeze_target` as PostgreSQL returns it (numeric columns come back as strings). */
export interface FreezeTargetRow {
  id: string;
  request_id: string;
  position: number;
  target_type: 'bank_account' | 'crypto_wallet';
  institution_name: string | null;
  institution_code: string | null;
  account_number: string | null;
  holder_name: string | null;
  borrowed_name: boolean | null;
  person_id: string | null;
  chain: string | null;
  address: string | null;
  exchange_name: string | null;
  currency: string;
  amount_sought: string;
  grounds: {
    summary: string;
    victimLosses: Array<{ personId: string; loss: { amount: string; currency: string } }>;
  };
  outcome: FreezeOutcome | null;
  frozen_amount: string;
  recovered_amount: string;
  returned_amount: string;
  released_amount: string;
  institution_reference: string | null;
  frozen_at: Date | null;
  closed_out_at: Date | null;
  close_out_reason: string | null;
}

export interface FreezeStepRow {
  request_id?: string;
  target_id: string;
  step: string;
  outcome: string | null;
  amount: string | null;
  currency: string | null;
  details: Record<string, unknown>;
  actor_username: string | null;
  actor_country: string | null;
  at: Date;
}

export function ledgerOf(row: FreezeTargetRow): TargetLedger {
  return {
    outcome: row.outcome,
    frozen: new Money(row.frozen_amount),
    recovered: new Money(row.recovered_amount),
    returned: new Money(row.returned_amount),
    released: new Money(row.released_amount),
    closedOut: row.closed_out_at !== null,
  };
}

export function targetsOf(manager: EntityManager, requestId: string): Promise<FreezeTargetRow[]> {
  return manager.query(`SELECT * FROM asset_freeze_target WHERE request_id = $1 ORDER BY position`, [
    requestId,
  ]);
}

/** The targets and steps of several requests in two queries (for a list page). */
export async function targetsAndStepsOf(
  manager: EntityManager,
  requestIds: string[],
): Promise<{ targets: FreezeTargetRow[]; steps: FreezeStepRow[] }> {
  if (!requestIds.length) return { targets: [], steps: [] };
  const [targets, steps] = await Promise.all([
    manager.query(
      `SELECT * FROM asset_freeze_target WHERE request_id = ANY($1::uuid[]) ORDER BY request_id, position`,
      [requestIds],
    ),
    manager.query(
      `SELECT request_id, target_id, step, outcome, amount, currency, details, actor_username, actor_country, at
         FROM asset_freeze_step WHERE request_id = ANY($1::uuid[]) ORDER BY id`,
      [requestIds],
    ),
  ]);
  return { targets, steps };
}

export function stepsOf(manager: EntityManager, requestId: string): Promise<FreezeStepRow[]> {
  return manager.query(
    `SELECT target_id, step, outcome, amount, currency, details, actor_username, actor_country, at
       FROM asset_freeze_step WHERE request_id = $1 ORDER BY id`,
    [requestId],
  );
}

/** The target, locked for the rest of the transaction; undefined when it is not one of the request's. */
export async function lockTarget(
  manager: EntityManager,
  requestId: string,
  targetId: string,
): Promise<FreezeTargetRow | undefined> {
  const [row] = await manager.query(
    `SELECT * FROM asset_freeze_target WHERE id = $1 AND request_id = $2 FOR UPDATE`,
    [targetId, requestId],
  );
  return row;
}

/** Ends duplicate protection for the request's targets (the request was withdrawn, rejected or closed). */
export async function closeTargetsOf(manager: EntityManager, requestId: string): Promise<void> {
  await manager.query(
    `UPDATE asset_freeze_target SET is_open = false, updated_at = now() WHERE request_id = $1`,
    [requestId],
  );
}

/** The columns a step sets besides the ledger (a freeze's time and reference, a close-out's reason). */
export interface TargetStepColumns {
  frozen_at?: Date | null;
  institution_reference?: string | null;
  closed_out_at?: Date;
  close_out_reason?: string;
}

/**
 * Writes a target's ledger after a step, and the step's own columns: each named in the text here, set
 * only when the step gives it (no column name comes from outside this statement).
 */
export async function saveTargetLedger(
  manager: EntityManager,
  targetId: string,
  ledger: TargetLedger,
  set: TargetStepColumns,
): Promise<void> {
  await manager.query(
    `UPDATE asset_freeze_target SET outcome = $2, frozen_amount = $3::numeric, recovered_amount = $4::numeric,
       returned_amount = $5::numeric, released_amount = $6::numeric, updated_at = now(),
       frozen_at = CASE WHEN $7::boolean THEN $8::timestamptz ELSE frozen_at END,
       institution_reference = CASE WHEN $9::boolean THEN $10::text ELSE institution_reference END,
       closed_out_at = CASE WHEN $11::boolean THEN $12::timestamptz ELSE closed_out_at END,
       close_out_reason = CASE WHEN $13::boolean THEN $14::text ELSE close_out_reason END
     WHERE id = $1`,
    [
      targetId,
      ledger.outcome,
      ledger.frozen.toFixed(),
      ledger.recovered.toFixed(),
      ledger.returned.toFixed(),
      ledger.released.toFixed(),
      'frozen_at' in set,
      set.frozen_at ?? null,
      'institution_reference' in set,
      set.institution_reference ?? null,
      'closed_out_at' in set,
      set.closed_out_at ?? null,
      'close_out_reason' in set,
      set.close_out_reason ?? null,
    ],
  );
}
