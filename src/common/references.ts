import type { EntityManager } from 'typeorm';
import { returningRows } from '../database/returning';

/**
 * The next human reference, `KR-CASE-2026-000042`, from a per-country, per-kind, per-year counter.
 * The counter row stays locked until the creating transaction ends and rolls back with it, so numbers
 * are unique and gap-free even under concurrent creates.
 */
export async function nextReference(
  manager: EntityManager,
  country: string,
  kind: string,
  year: number,
): Promise<string> {
  const [row] = await manager.query(
    `INSERT INTO reference_counter (country_code, kind, year, last_value) VALUES ($1, $2, $3, 1)
     ON CONFLICT (country_code, kind, year) DO UPDATE SET last_value = reference_counter.last_value + 1
     RETURNING last_value`,
    [country, kind, year],
  );
  return `${country}-${kind}-${year}-${String(row.last_value).padStart(6, '0')}`;
}

/**
 * Gives a request created in the running transaction its human reference, `KR-INF-2026-000042`, in one
 * statement. Called just before COMMIT (see `TransactionService.beforeCommit`): the counter row stays
 * locked until the commit, which keeps numbers gap-free, but only for the commit itself, so concurrent
 * creates of one country do not queue behind each other's whole transaction.
 */
export async function numberRequest(
  manager: EntityManager,
  requestId: string,
  country: string,
  kind: string,
  year: number,
): Promise<string> {
  const [row] = await returningRows<{ reference: string }>(
    manager,
    `WITH counter AS (
       INSERT INTO reference_counter (country_code, kind, year, last_value) VALUES ($1, $2, $3, 1)
       ON CONFLICT (country_code, kind, year) DO UPDATE SET last_value = reference_counter.last_value + 1
       RETURNING last_value)
     UPDATE cross_border_request r
        SET reference = $1 || '-' || $2 || '-' || $3 || '-' || lpad(c.last_value::text, greatest(6, length(c.last_value::text)), '0')
       FROM counter c WHERE r.id = $4
     RETURNING r.reference`,
    [country, kind, year, requestId],
  );
  if (!row) throw new Error(`request ${requestId} to number does not exist`);
  return row.reference;
}
