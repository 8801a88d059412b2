import type { EntityManager } from 'typeorm';
import { draftIdSql } from '../common/references';
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
  /** Its duplicate key (`FreezeTargetListService.key`). */
  target_key: string;
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

/** A target's columns as the origin writes them (on a draft's create or its edit), with its duplicate key. */
export type TargetColumns = Pick<
  FreezeTargetRow,
  | 'target_type'
  | 'institution_name'
  | 'institution_code'
  | 'account_number'
  | 'holder_name'
  | 'borrowed_name'
  | 'person_id'
  | 'chain'
  | 'address'
  | 'exchange_name'
  | 'currency'
  | 'amount_sought'
  | 'grounds'
  | 'target_key'
>;

/**
 * Inserts one target of a request; undefined when the account or wallet is already on an open request
 * of `origin`. The partial unique index over open targets makes this race-safe: a concurrent request for
 * the same account waits here for the other transaction, then finds the conflict.
 */
export async function insertTargetRow(
  manager: EntityManager,
  requestId: string,
  position: number,
  origin: string,
  c: TargetColumns,
): Promise<string | undefined> {
  const [inserted] = await manager.query(
    `INSERT INTO asset_freeze_target (request_id, position, target_type, institution_name, institution_code,
       account_number, holder_name, borrowed_name, person_id, chain, address, exchange_name, currency,
       amount_sought, grounds, origin_country, target_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::numeric, $15, $16, $17)
     ON CONFLICT (origin_country, target_key) WHERE is_open DO NOTHING
     RETURNING id`,
    [requestId, position, ...columnValues(c), origin, c.target_key],
  );
  return inserted?.id as string | undefined;
}

/** The open target of `origin` holding `key`, with its request's reference (a duplicate's 409 names it). */
export async function openTargetOf(
  manager: EntityManager,
  origin: string,
  key: string,
): Promise<{ id: string; request_id: string; reference: string | null; draft_id: string } | undefined> {
  const [existing] = await manager.query(
    `SELECT t.id, t.request_id, r.reference, ${draftIdSql('r.id')} AS draft_id
       FROM asset_freeze_target t JOIN cross_border_request r ON r.id = t.request_id
      WHERE t.origin_country = $1 AND t.target_key = $2 AND t.is_open`,
    [origin, key],
  );
  return existing;
}

/** A draft's targets, locked (in id order) for the rest of its edit's transaction. */
export function lockTargetsOf(manager: EntityManager, requestId: string): Promise<FreezeTargetRow[]> {
  return manager.query(`SELECT * FROM asset_freeze_target WHERE request_id = $1 ORDER BY id FOR UPDATE`, [
    requestId,
  ]);
}

/** Of `targetIds`, those with files attached (any, withdrawn ones too: the row holds them). */
export async function targetsWithFiles(manager: EntityManager, targetIds: string[]): Promise<string[]> {
  if (!targetIds.length) return [];
  const rows: Array<{ id: string }> = await manager.query(
    `SELECT DISTINCT asset_freeze_target_id AS id FROM attachment WHERE asset_freeze_target_id = ANY($1::uuid[])`,
    [targetIds],
  );
  return rows.map((r) => r.id);
}

/**
 * Deletes targets of a draft (its edit took them off): a draft's target has no execution steps, and
 * the caller made sure it has no files. Its identifier index rows go with it (their trigger).
 */
export async function deleteDraftTargets(
  manager: EntityManager,
  requestId: string,
  targetIds: string[],
): Promise<void> {
  if (!targetIds.length) return;
  await manager.query(
    `DELETE FROM asset_freeze_target t USING cross_border_request r
      WHERE t.id = ANY($2::uuid[]) AND t.request_id = $1 AND r.id = t.request_id AND r.status = 'draft'`,
    [requestId, targetIds],
  );
}

/**
 * Moves a request's targets to positions no target takes (below zero), so that the edit may give each
 * its new place: `(request_id, position)` is unique, checked row by row.
 */
export async function parkTargetPositions(manager: EntityManager, requestId: string): Promise<void> {
  await manager.query(`UPDATE asset_freeze_target SET position = -1 - position WHERE request_id = $1`, [
    requestId,
  ]);
}

/** Rewrites a draft's target in place (its account or wallet stays: its id and files stay with it). */
export async function updateTargetRow(
  manager: EntityManager,
  targetId: string,
  position: number,
  c: TargetColumns,
): Promise<void> {
  await manager.query(
    `UPDATE asset_freeze_target SET position = $2, target_type = $3, institution_name = $4, institution_code = $5,
       account_number = $6, holder_name = $7, borrowed_name = $8, person_id = $9, chain = $10, address = $11,
       exchange_name = $12, currency = $13, amount_sought = $14::numeric, grounds = $15, target_key = $16,
       updated_at = now()
     WHERE id = $1`,
    [targetId, position, ...columnValues(c), c.target_key],
  );
}

/** `TargetColumns` in the order both statements above name them ($3 to $15). */
function columnValues(c: TargetColumns): unknown[] {
  return [
    c.target_type,
    c.institution_name,
    c.institution_code,
    c.account_number,
    c.holder_name,
    c.borrowed_name,
    c.person_id,
    c.chain,
    c.address,
    c.exchange_name,
    c.currency,
    c.amount_sought,
    JSON.stringify(c.grounds),
  ];
}
