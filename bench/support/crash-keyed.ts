/**
 * Keyed creates in the crash check (issue 17). Just before the kill, a session of the check locks the
 * `idempotency_key` table, and creates with an `Idempotency-Key` are sent: each claims its key and does
 * its work inside its transaction, then waits there to store its answer, so the kill surely finds them
 * mid-transaction. After the restart the client retries every
 * one with the same key and body, as a real client does when it got no answer: each must complete (201,
 * a replay when the first answer was sent) and each key must have made exactly one request. A claim
 * stranded by the kill would answer 409 "still being processed" for 24 hours instead.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { aDraft } from './fixtures';
import { Api, sleep } from './harness';

/** Holds keyed creates just before their COMMIT until `release()`. */
export async function holdKeyedCommits(dbUrl: string): Promise<{
  waiting: () => Promise<number>;
  release: () => Promise<void>;
}> {
  const gate = new Client({ connectionString: dbUrl });
  await gate.connect();
  await gate.query('BEGIN');
  // EXCLUSIVE lets the keyed creates read the table (their replay check) but not insert their answer.
  await gate.query('LOCK TABLE idempotency_key IN EXCLUSIVE MODE');
  return {
    waiting: async () => {
      // Inside its transaction the gate would see one frozen copy of pg_stat_activity: take a fresh one.
      await gate.query('SELECT pg_stat_clear_snapshot()');
      return (
        await gate.query(
          // Sessions holding an idempotency claim (a two-key advisory lock) and waiting on a lock (to
          // store their answer: a draft takes no reference counter); all are inside their transaction.
          `SELECT count(DISTINCT a.pid)::int AS n FROM pg_stat_activity a
             JOIN pg_locks l ON l.pid = a.pid AND l.locktype = 'advisory' AND l.objsubid = 2 AND l.granted
            WHERE a.datname = current_database() AND a.wait_event_type = 'Lock'`,
        )
      ).rows[0].n as number;
    },
    release: async () => {
      await gate.query('ROLLBACK').catch(() => undefined);
      await gate.end().catch(() => undefined);
    },
  };
}

export interface KeyedCreate {
  key: string;
  body: object;
  /** The id of the first answer, or null when the kill cut it off. */
  answeredId: string | null;
}

/** Sends `count` keyed creates `gapMs` apart; resolves when every one is answered or cut off. */
export async function keyedBurst(
  officer: Api,
  framework: string,
  round: number,
  count: number,
  gapMs = 0,
): Promise<KeyedCreate[]> {
  const sent: Array<Promise<KeyedCreate>> = [];
  for (let i = 0; i < count; i++) {
    const key = randomUUID();
    const body = aDraft(framework, { subject: `Keyed crash create ${round}.${i} ${key}` });
    sent.push(
      officer.call('POST', '/information-requests', body, { 'Idempotency-Key': key }).then(
        (r) => ({ key, body, answeredId: r.status === 201 ? (r.body.id as string) : null }),
        () => ({ key, body, answeredId: null }),
      ),
    );
    if (gapMs) await sleep(gapMs);
  }
  return Promise.all(sent);
}

/** Retries each keyed create after the restart; returns the problems and the number that completed. */
export async function retryKeyed(
  officer: Api,
  creates: KeyedCreate[],
  db: Client,
): Promise<{ completed: number; lost: number; problems: string[]; ids: string[] }> {
  const problems: string[] = [];
  const ids: string[] = [];
  let completed = 0;
  for (const create of creates) {
    const retry = await officer.call('POST', '/information-requests', create.body, {
      'Idempotency-Key': create.key,
    });
    const replayed = retry.headers.get('idempotent-replayed') === 'true';
    const { rows } = await db.query(`SELECT id::text AS id FROM cross_border_request WHERE subject = $1`, [
      (create.body as { subject: string }).subject,
    ]);
    const what = `keyed create ${create.key}`;
    if (retry.status !== 201)
      problems.push(`${what}: retry answered ${retry.status} ${JSON.stringify(retry.body)}`);
    else if (rows.length !== 1) problems.push(`${what}: ${rows.length} requests after the retry, expected 1`);
    else if (rows[0].id !== retry.body.id) problems.push(`${what}: the retry answered another request`);
    else if (create.answeredId && (create.answeredId !== retry.body.id || !replayed))
      problems.push(`${what}: the first answer was ${create.answeredId}, the retry did not replay it`);
    else {
      completed++;
      ids.push(retry.body.id as string);
    }
  }
  return { completed, lost: creates.filter((c) => !c.answeredId).length, problems, ids };
}
