import type { EntityManager } from 'typeorm';
import type { IdentityDocument, PersonName } from '../persons/person.entity';
import { entryKeys } from '../screening/entry-keys';

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
  let after = '00000000-0000-0000-0000-000000000000';
  let rebuilt = 0;
  for (;;) {
    const entries: Array<{
      id: string;
      banning_country: string;
      names: PersonName[];
      documents: IdentityDocument[];
      birthDate: string | null;
    }> = await manager.query(
      `${IDENTITY_SOURCES[identityFrom]} WHERE e.status = 'active' AND e.id > $1 ORDER BY e.id LIMIT $2`,
      [after, BATCH],
    );
    if (!entries.length) break;
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
    after = entries[entries.length - 1]!.id;
  }
  for (const sql of RECOUNT_SEARCH_KEYS_SQL) await manager.query(sql);
  return rebuilt;
}
