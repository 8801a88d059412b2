import type { EntityManager } from 'typeorm';

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
