/**
 * Errors that mean "the database cannot be reached right now" rather than "this request is wrong":
 * a refused or dropped connection, or PostgreSQL shutting down or still starting. The client should
 * retry later (503), and nothing was committed.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03']); // admin/crash shutdown, cannot connect now
const UNAVAILABLE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND']);
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /Client has encountered a connection error/,
];

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 3; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(code))) return true;
    if (typeof code === 'string' && UNAVAILABLE_NETWORK_CODES.has(code)) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => m.test(message))) return true;
    // TypeORM wraps the driver's error.
    e = (e as { driverError?: unknown }).driverError;
  }
  return false;
}
