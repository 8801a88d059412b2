/**
 * What a PostgreSQL error says, whether it comes straight from `pg` or wrapped by TypeORM
 * (`QueryFailedError.driverError`): the one place that reads SQLSTATEs and constraint names.
 */
interface PgErrorFields {
  code?: unknown;
  constraint?: unknown;
  driverError?: { code?: unknown; constraint?: unknown };
}

/** The SQLSTATE (`23505`), or undefined for an error that is not PostgreSQL's. */
export function sqlStateOf(error: unknown): string | undefined {
  const e = error as PgErrorFields | null | undefined;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The constraint or index an integrity error names. */
export function constraintOf(error: unknown): string | undefined {
  const e = error as PgErrorFields | null | undefined;
  const constraint = e?.driverError?.constraint ?? e?.constraint;
  return typeof constraint === 'string' ? constraint : undefined;
}

/** unique_violation, of `constraint` when one is named. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  return sqlStateOf(error) === '23505' && (constraint === undefined || constraintOf(error) === constraint);
}

/** lock_not_available: a `lock_timeout` (or `NOWAIT`) ran out while another transaction held the lock. */
export function isLockNotAvailable(error: unknown): boolean {
  return sqlStateOf(error) === '55P03';
}

/** serialization_failure or deadlock_detected: the whole transaction may simply run again. */
export function isSerializationOrDeadlock(error: unknown): boolean {
  const code = sqlStateOf(error);
  return code === '40001' || code === '40P01';
}

/**
 * PostgreSQL refused a prepared statement whose result columns changed since it was prepared ("cached
 * plan must not change result type", SQLSTATE 0A000): a migration altered a table the statement reads.
 * Told apart from other 0A000s by the function that raised it, which (unlike the message) no server
 * locale translates.
 */
export function isStalePlan(error: unknown): boolean {
  const e = error as { routine?: unknown; driverError?: { routine?: unknown } } | null | undefined;
  return sqlStateOf(error) === '0A000' && (e?.driverError?.routine ?? e?.routine) === 'RevalidateCachedQuery';
}

/**
 * `write`, with a unique violation (of `constraint`, when named) answered as `conflict()`: two requests
 * that both found a name free and insert it at once — the loser is told what it would have been told a
 * moment later (409), not a 500.
 */
export async function conflictOnUniqueViolation<T>(
  write: Promise<T>,
  conflict: () => Error,
  constraint?: string,
): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (isUniqueViolation(error, constraint)) throw conflict();
    throw error;
  }
}
