import { retrievalFormsOf, type PersonName } from '../screening/matching';

/**
 * An active entry as checkpoint screening reads it: the entry's identity (the banning country's copy of
 * the person's names, date of birth, nationalities, sex and documents, see `entry-identity.ts`), with
 * its grounds summary and expiry, in one narrow row beside its search keys. Screening fetches about a
 * hundred candidates per query; from `blacklist_entry` and `person` that was four random page reads
 * each (two tables, two indexes, over 1 GB at a million entries). A row exists exactly while its entry
 * is active, like the keys; `BlacklistIndexService` keeps it. Never made from the live person: its
 * owner's later changes reach it only through an amendment the banning country accepts.
 *
 * With the names' retrieval forms (`retrieval_forms`, `retrievalFormsOf`, made by the app's code, not by
 * SQL: a change of the forms reaches stored rows only through a migration calling `fillRetrievalForms`), which the
 * retrieval's pre-score compares with the query's in SQL (pg_trgm `similarity`), so that only the
 * candidates picked for scoring are read out with their names and documents.
 */
const PROFILES_OF_ACTIVE_ENTRIES = `
  INSERT INTO blacklist_screening_profile (entry_id, banning_country, proposing_country, expires_on,
         grounds_summary, names, birth_date, nationalities, sex, documents, retrieval_forms)`;
const PROFILE_VALUES = `e.id, e.banning_country, e.proposing_country, e.expires_on, e.grounds_summary,
         e.identity_names, e.identity_birth_date, e.identity_nationalities, e.identity_sex,
         e.identity_documents`;

/** The profile of one active entry ($1), from its entry row as it is now, with its names' forms ($2). */
export const INSERT_SCREENING_PROFILE_SQL = `${PROFILES_OF_ACTIVE_ENTRIES}
  SELECT ${PROFILE_VALUES}, $2::text[]
    FROM blacklist_entry e
   WHERE e.status = 'active' AND e.id = $1`;

/** Runs one statement and returns its rows: a TypeORM manager's `query`, or a pg client's, unwrapped. */
export type RowQuery = (sql: string, parameters?: unknown[]) => Promise<Array<Record<string, unknown>>>;

const BATCH = 1000;
const FIRST_ID = '00000000-0000-0000-0000-000000000000';

/** The profiles of every active entry that has none (a bulk load), a thousand at a time. */
export async function fillMissingScreeningProfiles(query: RowQuery): Promise<number> {
  let after = FIRST_ID;
  let filled = 0;
  for (;;) {
    const entries = (await query(
      `SELECT e.id, e.identity_names AS names FROM blacklist_entry e
        WHERE e.status = 'active' AND e.id > $1
          AND NOT EXISTS (SELECT 1 FROM blacklist_screening_profile s WHERE s.entry_id = e.id)
        ORDER BY e.id LIMIT $2`,
      [after, BATCH],
    )) as Array<{ id: string; names: PersonName[] }>;
    if (!entries.length) return filled;
    await query(
      `${PROFILES_OF_ACTIVE_ENTRIES}
       SELECT ${PROFILE_VALUES}, x.forms
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, forms text[])
         JOIN blacklist_entry e ON e.id = x.id
        WHERE e.status = 'active'`,
      [JSON.stringify(entries.map((e) => ({ id: e.id, forms: retrievalFormsOf(e.names) })))],
    );
    filled += entries.length;
    after = entries[entries.length - 1]!.id;
  }
}

/**
 * Computes every profile's retrieval forms again from its names with the current rules (a migration
 * calls it), a thousand at a time: memory stays flat at a million.
 */
export async function fillRetrievalForms(query: RowQuery): Promise<number> {
  let after = FIRST_ID;
  let filled = 0;
  for (;;) {
    const profiles = (await query(
      `SELECT s.entry_id AS id, s.names FROM blacklist_screening_profile s
        WHERE s.entry_id > $1 ORDER BY s.entry_id LIMIT $2`,
      [after, BATCH],
    )) as Array<{ id: string; names: PersonName[] }>;
    if (!profiles.length) return filled;
    await query(
      `UPDATE blacklist_screening_profile s SET retrieval_forms = x.forms
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, forms text[])
        WHERE s.entry_id = x.id`,
      [JSON.stringify(profiles.map((p) => ({ id: p.id, forms: retrievalFormsOf(p.names) })))],
    );
    filled += profiles.length;
    after = profiles[profiles.length - 1]!.id;
  }
}
