import type { EntityManager } from 'typeorm';
import { entryKeys } from '../screening/entry-keys';
import { retrievalFormsOf } from '../screening/matching';
import type { EntryIdentity } from './entry-identity';
import { INSERT_SCREENING_PROFILE_SQL } from './screening-profile';

/**
 * An active entry's search keys and screening profile made those of its identity (keys it already has
 * are left alone): what activation and an accepted amendment do (`BlacklistIndexService`), and what a
 * migration does when a change of the matching rules changes the keys of a few entries.
 */
export async function indexEntry(
  manager: EntityManager,
  entryId: string,
  banningCountry: string,
  identity: Pick<EntryIdentity, 'names' | 'documents' | 'birthDate'>,
): Promise<void> {
  await setEntryKeys(manager, entryId, banningCountry, entryKeys(identity));
  await manager.query(`DELETE FROM blacklist_screening_profile WHERE entry_id = $1`, [entryId]);
  await manager.query(INSERT_SCREENING_PROFILE_SQL, [entryId, retrievalFormsOf(identity.names)]);
}

/**
 * The entry's keys become `keys` (none: it leaves the index), and their counts of holders follow. A
 * removed key's count row always exists (made when the key was added), so an inserted 0 only ever
 * marks a removal; one statement, counts changed in key order.
 */
export async function setEntryKeys(
  manager: EntityManager,
  entryId: string,
  banningCountry: string,
  keys: string[],
): Promise<void> {
  await manager.query(
    `WITH gone AS (
       DELETE FROM blacklist_search_key WHERE entry_id = $1 AND key <> ALL($3::text[]) RETURNING key
     ), added AS (
       INSERT INTO blacklist_search_key (entry_id, banning_country, key) SELECT $1, $2, unnest($3::text[])
       ON CONFLICT DO NOTHING RETURNING key
     ), changed AS (SELECT key, 0 AS entries FROM gone UNION ALL SELECT key, 1 FROM added)
     INSERT INTO blacklist_search_key_count (banning_country, key, entries)
     SELECT $2, key, entries FROM changed ORDER BY key
     ON CONFLICT (banning_country, key) DO UPDATE
       SET entries = blacklist_search_key_count.entries + CASE WHEN EXCLUDED.entries = 0 THEN -1 ELSE 1 END`,
    [entryId, banningCountry, keys],
  );
}
