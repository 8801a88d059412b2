import type { Client } from 'pg';
import { Clock } from '../../src/common/time/clock';
import type { TransactionService } from '../../src/database/transaction.service';
import { CandidatePool } from '../../src/screening/candidate-pool';
import { queryKeys } from '../../src/screening/entry-keys';

/** A retrieval statement as the app's `CandidatePool` would send it, with the name it was made for. */
export interface CapturedRetrieval {
  name: string;
  text: string;
  values: unknown[];
}

/**
 * The retrieval statements for the names of `count` random active KH entries of a loaded database, each
 * with one letter changed in the middle (a typo, so the pre-score has work to do): built by the app's
 * own `CandidatePool` (its keys, its SQL, its parameters) and captured instead of sent, for the
 * diagnostics that run them their own way (`retrieval-plan-time.ts`, `retrieval-node-time.ts`).
 */
export async function capturedRetrievals(db: Client, count: number): Promise<CapturedRetrieval[]> {
  const names = await namesWithALetterChanged(db, count);
  const captured: CapturedRetrieval[] = [];
  let current = '';
  const capture = {
    query: async (q: { text: string; values: unknown[] }) => (
      captured.push({ name: current, text: q.text, values: q.values }),
      { rows: [] }
    ),
  };
  const pool = new CandidatePool(
    { manager: { connection: { driver: { master: capture } } } } as unknown as TransactionService,
    new Clock(),
  );
  for (const full of names) {
    current = full;
    await pool.activeCandidates('KH', queryKeys([full]), [full]);
  }
  return captured;
}

/**
 * The names of `count` random active KH entries of a loaded database (the same ones for the same
 * count), each with the letter in its middle changed: a typo, so the retrieval and the pre-score have work.
 */
export async function namesWithALetterChanged(db: Client, count: number): Promise<string[]> {
  const { rows } = await db.query(
    `SELECT names->0->>'full' AS full FROM blacklist_screening_profile
      WHERE banning_country = 'KH' ORDER BY md5(entry_id::text) LIMIT $1`,
    [count],
  );
  return rows.map(({ full }: { full: string }) => {
    const i = Math.floor(full.length / 2);
    return full.slice(0, i) + (full[i] === 'a' ? 'e' : 'a') + full.slice(i + 1);
  });
}
