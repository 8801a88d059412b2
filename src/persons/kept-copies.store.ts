import type { EntityManager } from 'typeorm';
import { personGivenBy } from '../access/owner-trail';
import { countriesCooperate, positional, requestScope } from '../access/scopes';
import type { Actor } from '../common/request-context';
import { queryPrepared } from '../database/sql-parts';
import type { IdentityDocument, PersonAccount, PersonName } from './person.entity';

/** What a country reads of a person once it keeps its own copy (the columns a view shows). */
export interface KeptCopy {
  personId: string;
  /** When the copy was taken: the owner's first edit after the end, its timeline, shown to no reader. */
  keptSince: Date;
  /** An onward recipient's copy (it read the person only through a partner's record). */
  onward: boolean;
  names: PersonName[];
  birthDate: string | null;
  nationalities: string[];
  sex: string | null;
  documents: IdentityDocument[];
  phones: string[];
  accounts: PersonAccount[];
  notes: string | null;
  updatedAt: Date;
  version: number;
}

interface KeptCopyRow {
  person_id: string;
  kept_since: Date;
  onward: boolean;
  names: PersonName[];
  birth_date: string | null;
  nationalities: string[];
  sex: string | null;
  documents: IdentityDocument[];
  phones: string[];
  accounts: PersonAccount[];
  notes: string | null;
  updated_at: Date;
  version: number;
}

/**
 * A person as it stood for a country whose cooperation with the owner ended: that country keeps what
 * it received, and the owner's later edits do not reach it. All SQL on `person_kept_copy` is here.
 */
export class KeptCopiesStore {
  constructor(private readonly m: EntityManager) {}

  /**
   * Copies the person as it stands now for each country that has no copy yet (the first copy stays).
   * `onward`: the countries are onward recipients (`KeptCopy.onward`).
   */
  async keep(personId: string, countries: string[], onward = false): Promise<string[]> {
    if (!countries.length) return [];
    const rows: Array<{ country_code: string }> = await this.m.query(
      `INSERT INTO person_kept_copy (person_id, country_code, names, search_text, birth_date, nationalities, sex,
              documents, document_numbers, phones, accounts, account_numbers, notes, updated_at, version, onward)
       SELECT p.id, c.code, p.names, p.search_text, p.birth_date, p.nationalities, p.sex,
              p.documents, p.document_numbers, p.phones, p.accounts, p.account_numbers, p.notes, p.updated_at,
              p.version, $3
         FROM person p CROSS JOIN unnest($2::text[]) AS c(code)
        WHERE p.id = $1
       ON CONFLICT DO NOTHING
       RETURNING country_code`,
      [personId, countries, onward],
    );
    const kept = rows.map((r) => r.country_code);
    // Its numbers keyed as the index keys them, with when each was indexed on the person: "seen in"
    // answers from them (`IdentifierIndexStore.seenIn`), also once the owner removed one.
    if (kept.length)
      await this.m.query(
        `INSERT INTO person_kept_identifier (person_id, country_code, field, match_key, indexed_at)
         SELECT i.record_id, c.code, i.field, i.match_key, min(i.indexed_at)
           FROM identifier_index i CROSS JOIN unnest($2::text[]) AS c(code)
          WHERE i.record_type = 'person' AND i.record_id = $1
          GROUP BY i.record_id, c.code, i.field, i.match_key
         ON CONFLICT DO NOTHING`,
        [personId, kept],
      );
    return kept;
  }

  /**
   * `holder`, which keeps a copy of these persons, passes them on to `recipient`: what it passes on is
   * its copy, so the recipient reads that copy (its own, `onward`, taken from the same moment: the same
   * files, `kept_since`), never the owner's live person with the edits made after the holder's link
   * ended. An onward copy the recipient already keeps is replaced only by a later one. Not for a country
   * the owner itself gave the person to (a share, a sent request, an arrest share: `personGivenBy`; the
   * owner's links govern what it reads, `PersonRecipientsService.keepForEndedCooperation`), as `KeptCopyOnward` tells them apart;
   * an owner's request not sent yet gave it nothing.
   */
  async passOn(personIds: string[], holder: string, recipient: string): Promise<void> {
    if (!personIds.length) return;
    const written: Array<{ person_id: string }> = await this.m.query(
      `INSERT INTO person_kept_copy (person_id, country_code, kept_since, ${COPIED.join(', ')}, onward)
       SELECT k.person_id, $3, k.kept_since, ${COPIED.map((c) => `k.${c}`).join(', ')}, true
         FROM person_kept_copy k JOIN person p ON p.id = k.person_id
        WHERE k.person_id = ANY($1::uuid[]) AND k.country_code = $2 AND p.owner_country <> $3
          AND NOT ${personGivenBy('p.id', 'p.owner_country', '$3')}
       ON CONFLICT (person_id, country_code) DO UPDATE SET kept_since = EXCLUDED.kept_since,
              ${COPIED.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
        WHERE person_kept_copy.onward AND person_kept_copy.version < EXCLUDED.version
       RETURNING person_id`,
      [personIds, holder, recipient],
    );
    if (!written.length) return;
    // The copy's numbers go with it ("seen in" answers from them, `keep`).
    await this.m.query(
      `DELETE FROM person_kept_identifier WHERE person_id = ANY($1::uuid[]) AND country_code = $2`,
      [written.map((w) => w.person_id), recipient],
    );
    await this.m.query(
      `INSERT INTO person_kept_identifier (person_id, country_code, field, match_key, indexed_at)
       SELECT person_id, $3, field, match_key, indexed_at FROM person_kept_identifier
        WHERE person_id = ANY($1::uuid[]) AND country_code = $2
       ON CONFLICT DO NOTHING`,
      [written.map((w) => w.person_id), holder, recipient],
    );
  }

  /**
   * Countries that cooperate with the owner again read the live person: their copies go, and the
   * person's return to each is recorded (`person_return`: what the owner did meanwhile reads as of it).
   * Returns the countries whose copy went, each with whether it was an onward recipient's. Called only by `PersonRecipientsService.dropKeptCopies`, which records
   * the change on the person's audit history (src/sharing/kept-copy-drops.spec.ts holds every path to it).
   */
  async drop(personId: string, countries: string[]): Promise<Array<{ country: string; onward: boolean }>> {
    if (!countries.length) return [];
    const rows: Array<{ country_code: string; onward: boolean }> = await this.m.query(
      `WITH dropped AS (
         DELETE FROM person_kept_copy WHERE person_id = $1 AND country_code = ANY($2::text[]) RETURNING country_code, onward),
       returned AS (INSERT INTO person_return (person_id, country_code) SELECT $1, country_code FROM dropped
                    ON CONFLICT DO NOTHING)
       SELECT country_code, onward FROM dropped`,
      [personId, countries],
    );
    return rows.map((r) => ({ country: r.country_code, onward: r.onward }));
  }

  /**
   * The origin's own persons a request names that its target keeps a copy of. A request leaving its
   * origin carries them as they stand now, so these copies go (`ReleaseService.requestSent`).
   */
  async keptForSentRequest(requestId: string, origin: string, target: string): Promise<string[]> {
    const kept: Array<{ person_id: string }> = await this.m.query(
      `SELECT k.person_id FROM person_kept_copy k
         JOIN request_person rp ON rp.person_id = k.person_id AND rp.request_id = $1 AND rp.added_by_side = 'origin'
         JOIN person p ON p.id = k.person_id AND p.owner_country = $2
        WHERE k.country_code = $3`,
      [requestId, origin, target],
    );
    return kept.map((k) => k.person_id);
  }

  /**
   * The copies `country` keeps of these persons, by person id. With `reader` (a user of that country):
   * less those the reader reads live, as a named recipient (a liaison, the assigned officer) of a RED
   * request under way by which the owner carries the person to the country while a framework joins the
   * two — the country as a whole keeps its copy (`PersonRecipientsService.recipientsOf`, probe r10).
   */
  async of(personIds: string[], country: string | null, reader?: Actor): Promise<Map<string, KeptCopy>> {
    if (!personIds.length || !country) return new Map();
    const params: unknown[] = [[...new Set(personIds)], country];
    // Named recipients are who `requestScope` lets read a RED request of the country's.
    const readsLive = reader
      ? `EXISTS (
            SELECT 1 FROM request_person rp JOIN cross_border_request r ON r.id = rp.request_id
              JOIN person p ON p.id = rp.person_id
             WHERE rp.person_id = k.person_id AND r.origin_country = p.owner_country AND r.target_country = $2
               AND r.handling_code = 'RED' AND r.status IN ('sent', 'accepted', 'fulfilled')
               AND ${positional(requestScope(reader, 'r'), params)}
               AND NOT EXISTS (SELECT 1 FROM repatriation_person d WHERE d.request_id = r.id
                                AND d.person_id = rp.person_id AND d.drop_reason IS NOT NULL)
               AND ${countriesCooperate('p.owner_country', '$2')})`
      : 'false';
    const rows = await queryPrepared<KeptCopyRow>(
      this.m,
      `SELECT person_id, kept_since, onward, names, birth_date, nationalities, sex, documents, phones, accounts, notes,
              updated_at, version
         FROM person_kept_copy k WHERE person_id = ANY($1::uuid[]) AND country_code = $2 AND NOT ${readsLive}`,
      params,
    );
    return new Map(
      rows.map((r) => [
        r.person_id,
        {
          personId: r.person_id,
          keptSince: new Date(r.kept_since),
          onward: r.onward,
          names: r.names,
          birthDate: r.birth_date,
          nationalities: r.nationalities,
          sex: r.sex,
          documents: r.documents,
          phones: r.phones,
          accounts: r.accounts,
          notes: r.notes,
          updatedAt: new Date(r.updated_at),
          version: r.version,
        },
      ]),
    );
  }
}

/** A person's columns as a copy holds them. */
const COPIED = [
  'names',
  'search_text',
  'birth_date',
  'nationalities',
  'sex',
  'documents',
  'document_numbers',
  'phones',
  'accounts',
  'account_numbers',
  'notes',
  'updated_at',
  'version',
];

type SearchableColumn = 'search_text' | 'document_numbers' | 'phones' | 'account_numbers';

/**
 * A search condition on person `p` as `country` (an SQL parameter) reads it: on its kept copy where it
 * keeps one, else on the live person, so a search never finds a kept person by what the owner wrote
 * after the copy. The candidates come from the live column's index and the copies, and are then
 * checked on what the country reads.
 */
export function matchesAsSeen(
  column: SearchableColumn,
  condition: (value: string) => string,
  p: string,
  country: string,
): string {
  const seen = `COALESCE((SELECT k.${column} FROM person_kept_copy k WHERE k.person_id = ${p}.id AND k.country_code = ${country}), ${p}.${column})`;
  return `(${p}.id IN (SELECT s_p.id FROM person s_p WHERE ${condition(`s_p.${column}`)}
                       UNION ALL
                       SELECT s_k.person_id FROM person_kept_copy s_k WHERE s_k.country_code = ${country} AND ${condition(`s_k.${column}`)})
           AND ${condition(seen)})`;
}
