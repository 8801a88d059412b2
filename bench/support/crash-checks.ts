/** What the crash check asks the database after each crash (see bench/crash-safety.ts). */
import { SENT_VERSION } from '../../src/workflow/sent-version';
import { Client } from 'pg';
import { Ack, ORDER } from './crash-workload';
import { sleep } from './harness';

/**
 * A fresh connection per question: a PostgreSQL restart ends every open one, and a `pg` client whose
 * connection dies without an error listener would take the whole script down.
 */
export async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Every acknowledged write is present, and no request in the database is half done. */
export async function checkDatabase(client: Client, acks: Map<string, Ack>): Promise<string[]> {
  const problems: string[] = [];
  const ids = [...acks.keys()];
  const rows = (
    await client.query(`SELECT id, status, version FROM cross_border_request WHERE id = ANY($1::uuid[])`, [
      ids,
    ])
  ).rows as Array<{ id: string; status: string; version: number }>;
  const found = new Map(rows.map((r) => [r.id, r]));
  for (const [id, ack] of acks) {
    const row = found.get(id);
    if (!row) {
      problems.push(`acknowledged request ${id} (${ack.status}) is missing`);
      continue;
    }
    const allowed = [ack.status, ...(ack.inFlight ? [ack.inFlight] : [])];
    if (!allowed.includes(row.status))
      problems.push(
        `request ${id}: status ${row.status}, acknowledged ${ack.status} (in flight: ${ack.inFlight})`,
      );
    if (row.version < ack.version)
      problems.push(`request ${id}: version ${row.version} < acknowledged ${ack.version}`);
    if (ORDER.indexOf(row.status) < ORDER.indexOf(ack.status))
      problems.push(`request ${id}: went back from ${ack.status} to ${row.status}`);
  }
  // Every request in the database, acknowledged or not: no half-done transaction.
  const half = (
    await client.query(
      `
      SELECT r.id, r.status, r.version, h.n AS history_rows, h.last_status, a.n AS audit_events
        FROM cross_border_request r
        LEFT JOIN LATERAL (
          SELECT count(*)::int AS n,
                 (SELECT to_status FROM request_status_history x WHERE x.request_id = r.id ORDER BY x.id DESC LIMIT 1) AS last_status,
                 -- Steps up to the send: the version jumps to SENT_VERSION there, one step per version after.
                 count(*) FILTER (WHERE id <= (SELECT max(y.id) FROM request_status_history y
                                                WHERE y.request_id = r.id AND y.action = 'approve'))::int AS to_send
            FROM request_status_history WHERE request_id = r.id) h ON true
        CROSS JOIN LATERAL (
          SELECT CASE WHEN r.version >= $1 THEN h.to_send + r.version - $1 ELSE r.version END AS n) steps
        LEFT JOIN LATERAL (
          SELECT count(*)::int AS n FROM audit_event e
           WHERE e.record_type = 'request' AND e.record_id = r.id::text AND e.outcome = 'success') a ON true
       WHERE h.last_status IS DISTINCT FROM r.status OR h.n <> steps.n OR a.n < steps.n
          OR (r.version >= $1) <> (h.to_send > 0)`,
      [SENT_VERSION],
    )
  ).rows;
  for (const r of half.slice(0, 20))
    problems.push(
      `request ${r.id} half done: status ${r.status} v${r.version}, ${r.history_rows} history rows ` +
        `(last ${r.last_status}), ${r.audit_events} audit events`,
    );
  if (half.length > 20) problems.push(`… and ${half.length - 20} more half-done requests`);
  return problems;
}

/** How many audit events the sealer has chained so far. */
export async function sealedEvents(client: Client): Promise<number> {
  const [{ n }] = (await client.query(`SELECT count(*)::int AS n FROM audit_chain`)).rows;
  return n as number;
}

/** Waits (at most 60 s) until every committed audit event is chained; how many are still not. */
export async function waitSealed(client: Client): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [{ n }] = (
      await client.query(
        `SELECT count(*)::int AS n FROM audit_event e WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = e.id)`,
      )
    ).rows;
    if (n === 0 || Date.now() > deadline) return n;
    await sleep(200);
  }
}
