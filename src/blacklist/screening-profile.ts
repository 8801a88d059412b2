/**
 * An active entry as checkpoint screening reads it: the entry's identity (the banning country's copy of
 * the person's names, date of birth, nationalities, sex and documents, see `entry-identity.ts`), with
 * its grounds summary and expiry, in one narrow row beside its search keys. Screening fetches about a
 * hundred candidates per query; from `blacklist_entry` and `person` that was four random page reads
 * each (two tables, two indexes, over 1 GB at a million entries). A row exists exactly while its entry
 * is active, like the keys; `BlacklistIndexService` keeps it. Never made from the live person: its
 * owner's later changes reach it only through an amendment the banning country accepts.
 */
const PROFILES_OF_ACTIVE_ENTRIES = `
  INSERT INTO blacklist_screening_profile (entry_id, banning_country, proposing_country, expires_on,
         grounds_summary, names, birth_date, nationalities, sex, documents)
  SELECT e.id, e.banning_country, e.proposing_country, e.expires_on, e.grounds_summary, e.identity_names,
         e.identity_birth_date, e.identity_nationalities, e.identity_sex, e.identity_documents
    FROM blacklist_entry e
   WHERE e.status = 'active'`;

/** The profile of one active entry ($1), from its entry row (and identity) as it is now. */
export const INSERT_SCREENING_PROFILE_SQL = `${PROFILES_OF_ACTIVE_ENTRIES} AND e.id = $1`;

/** The profiles of every active entry that has none (a bulk load). */
export const FILL_MISSING_SCREENING_PROFILES_SQL = `${PROFILES_OF_ACTIVE_ENTRIES}
     AND NOT EXISTS (SELECT 1 FROM blacklist_screening_profile s WHERE s.entry_id = e.id)`;
