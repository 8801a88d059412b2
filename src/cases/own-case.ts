import type { EntityManager } from 'typeorm';
import { ValidationFailedError } from '../common/errors/domain-errors';

export const NOT_OWN_CASE = 'caseId must be a case of your country';

/** Whether `caseId` is a case of `country`: records of one country may only cite its own cases. */
export async function isOwnCase(
  manager: EntityManager,
  caseId: string,
  country: string | null,
): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM case_file WHERE id = $1 AND owner_country = $2`,
    [caseId, country],
  );
  return rows.length > 0;
}

/** Refuses (400 on `caseId`) a case of another country, or none at all. */
export async function requireOwnCase(
  manager: EntityManager,
  caseId: string | undefined,
  country: string | null,
): Promise<void> {
  if (caseId && !(await isOwnCase(manager, caseId, country))) {
    throw new ValidationFailedError([{ field: 'caseId', message: NOT_OWN_CASE }]);
  }
}
