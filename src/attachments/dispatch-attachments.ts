import type { EntityManager } from 'typeorm';

/**
 * A request to several countries is one request at the origin until it is sent (`draft`, `submitted`:
 * the threads move together), so a file attached to one of its threads then belongs on every thread.
 * These are the threads moving with `requestId` now: the same dispatch, in the same unsent status.
 */
export async function unsentDispatchSiblings(manager: EntityManager, requestId: string): Promise<string[]> {
  const rows = (await manager.query(
    `SELECT s.id FROM cross_border_request r
       JOIN cross_border_request s ON s.dispatch_id = r.dispatch_id AND s.id <> r.id AND s.status = r.status
      WHERE r.id = $1 AND r.status IN ('draft', 'submitted')
      ORDER BY s.id`,
    [requestId],
  )) as Array<{ id: string }>;
  return rows.map((r) => r.id);
}

/**
 * The copy on `requestId` of the group `attachmentId` belongs to: what a new version uploaded on another
 * thread supersedes there. Null when the superseded file was attached to that thread alone.
 */
export async function groupCopyOn(
  manager: EntityManager,
  attachmentId: string,
  requestId: string,
): Promise<string | null> {
  const [row] = (await manager.query(
    `SELECT c.id FROM attachment a JOIN attachment c ON c.dispatch_group = a.dispatch_group
      WHERE a.id = $1 AND c.request_id = $2`,
    [attachmentId, requestId],
  )) as Array<{ id: string }>;
  return row?.id ?? null;
}

/**
 * The other copies to withdraw with `attachmentId`: those of its dispatch group still on unsent
 * threads (after sending, each thread's copy is its own, like the thread).
 */
export async function unsentGroupCopies(manager: EntityManager, attachmentId: string): Promise<string[]> {
  const rows = (await manager.query(
    `SELECT c.id FROM attachment a
       JOIN cross_border_request ar ON ar.id = a.request_id AND ar.status IN ('draft', 'submitted')
       JOIN attachment c ON c.dispatch_group = a.dispatch_group AND c.id <> a.id AND c.withdrawn_at IS NULL
       JOIN cross_border_request r ON r.id = c.request_id AND r.status IN ('draft', 'submitted')
      WHERE a.id = $1
      ORDER BY c.id`,
    [attachmentId],
  )) as Array<{ id: string }>;
  return rows.map((r) => r.id);
}
