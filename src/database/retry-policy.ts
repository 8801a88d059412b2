/** PostgreSQL error codes after which the whole transaction may simply be run again. */
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected

export function isRetryableTransactionError(error: unknown): boolean {
  const code =
    (error as { code?: unknown; driverError?: { code?: unknown } } | null)?.code ??
    (error as { driverError?: { code?: unknown } } | null)?.driverError?.code;
  return typeof code === 'string' && RETRYABLE_SQLSTATES.has(code);
}

export const MAX_TRANSACTION_ATTEMPTS = 5;

export function backoffMs(attempt: number): number {
  return Math.min(200, 5 * 2 ** attempt) + Math.floor(Math.random() * 10);
}
