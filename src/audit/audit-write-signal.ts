/**
 * A process-wide signal that an audit event is being written, so that an idle audit sealer, which
 * slows down when there is nothing to seal, goes back to its short interval at once. A write that sends
 * no signal (another instance's) is sealed by the next idle pass at the latest.
 */
const listeners = new Set<() => void>();

export function onAuditEventWritten(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

export function signalAuditEventWritten(): void {
  for (const listener of listeners) listener();
}
