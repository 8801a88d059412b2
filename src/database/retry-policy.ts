import { isSerializationOrDeadlock, isStalePlan } from './pg-errors';

/**
 * PostgreSQL errors after which the whole transaction may simply be run again: a serialization failure,
 * a deadlock, or a statement prepared before a migration changed its columns (run again, it is prepared
 * anew: named-statements.ts).
 */
export function isRetryableTransactionError(error: unknown): boolean {
  return isSerializationOrDeadlock(error) || isStalePlan(error);
}

export const MAX_TRANSACTION_ATTEMPTS = 5;

export function backoffMs(attempt: number): number {
  return Math.min(200, 5 * 2 ** attempt) + Math.floor(Math.random() * 10);
}
