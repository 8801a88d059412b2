import type { EntityManager } from 'typeorm';
import type { IdentityDocument, PersonName } from '../persons/person.entity';
import { entryKeys } from '../screening/entry-keys';
import { indexEntry } from './entry-index';

const BATCH = 1000;

/** Counts every key's holders again from the keys themselves (after a rebuild or a bulk load). */
export const RECOUNT_SEARCH_KEYS_SQL = [
  `DELETE FROM blacklist_search_key_count`,
  `INSERT INTO blacklist_search_key_count (banning_country, key, entries)
   SELECT banning_country, key, count(*) FROM blacklist_search_key GROUP BY banning_country, key`,
];

/**
 * Where an active entry's names and documents are read from: its own identity (copied at activation,
 * changed by accepted amendments), or — for the migrations that ran before entries had one
 * (1763800017000) — its person.
 */
const IDENTITY_SOURCES = {
  entry: `SELECT e.id, e.banning_country, e.identity_names AS names, e.identity_documents AS documents,
                 e.identity_birth_date AS "birthDate"
            FROM blacklist_entry e`,
  person: `SELECT e.id, e.banning_country, p.names, p.documents, p.birth_date AS "birthDate"
             FROM blacklist_entry e JOIN person p ON p.id = e.person_id`,
};

type IdentityRow = {
  id: string;
  banning_country: string;
  names: PersonName[];
  documents: IdentityDocument[];
  birthDate: string | null;
};

/** Active entries (those `where` keeps) a thousand at a time, in id order: memory stays flat at a million. */
async function* activeEntriesInBatches(
  manager: EntityManager,
  identityFrom: keyof typeof IDENTITY_SOURCES,
  where = 'true',
  params: unknown[] = [],
): AsyncGenerator<IdentityRow[]> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const entries: IdentityRow[] = await manager.query(
      `${IDENTITY_SOURCES[identityFrom]} WHERE e.status = 'active' AND e.id > $1 AND (${where})
        ORDER BY e.id LIMIT $2`,
      [after, BATCH, ...params],
    );
    if (!entries.length) return;
    yield entries;
    after = entries[entries.length - 1]!.id;
  }
}

/**
 * Every active entry whose names' text matches `pattern` (a PostgreSQL regular expression) indexed again
 * with the current rules, each as activation indexes it (its key counts follow): for a change of the
 * rules that touches only names written so (digits read as letters, Han characters), where rebuilding
 * every key of a million entries would be wasted work.
 */
export async function reindexActiveEntriesWhoseNamesMatch(
  manager: EntityManager,
  pattern: string,
): Promise<number> {
  let reindexed = 0;
  for await (const entries of activeEntriesInBatches(manager, 'entry', 'e.identity_names::text ~ $3', [
    pattern,
  ])) {
    for (const entry of entries) await indexEntry(manager, entry.id, entry.banning_country, entry);
    reindexed += entries.length;
  }
  return reindexed;
}

/**
 * Computes the search keys of every active entry again with the current rules, drops any left on
 * entries that are no longer active, and recounts them. Keys are made by the app's code
 * (`entryKeys`), not by SQL, so a change of the rules reaches the rows already stored only through
 * this (a migration calls it). Entries are read a thousand at a time: memory stays flat at a million.
 */
export async function rebuildSearchKeys(
  manager: EntityManager,
  identityFrom: keyof typeof IDENTITY_SOURCES = 'entry',
): Promise<number> {
  await manager.query(
    `DELETE FROM blacklist_search_key k USING blacklist_entry e WHERE e.id = k.entry_id AND e.status <> 'active'`,
  );
  let rebuilt = 0;
  for await (const entries of activeEntriesInBatches(manager, identityFrom)) {
    const rows = entries.flatMap((entry) =>
      entryKeys(entry).map((key) => ({ entry_id: entry.id, banning_country: entry.banning_country, key })),
    );
    await manager.query(`DELETE FROM blacklist_search_key WHERE entry_id = ANY($1::uuid[])`, [
      entries.map((entry) => entry.id),
    ]);
    await manager.query(
      `INSERT INTO blacklist_search_key (entry_id, banning_country, key)
       SELECT x.entry_id, x.banning_country, x.key
         FROM jsonb_to_recordset($1::jsonb) AS x(entry_id uuid, banning_country char(2), key text)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(rows)],
    );
    rebuilt += entries.length;
  }
  for (const sql of RECOUNT_SEARCH_KEYS_SQL) await manager.query(sql);
  return rebuilt;
}
