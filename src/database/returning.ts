import type { EntityManager } from 'typeorm';

/**
 * Runs an `UPDATE … RETURNING` or `DELETE … RETURNING` and gives back its rows. TypeORM answers those
 * statements with `[rows, affectedCount]` rather than the rows alone, unlike SELECT and INSERT.
 */
export async function returningRows<T>(manager: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const result: unknown = await manager.query(sql, params);
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  )
    return result[0] as T[];
  return result as T[];
}
