import type { EntityManager } from 'typeorm';
import { identifierRowReadable, indexedAsRead, positional } from '../access/scopes';
import type { Actor } from '../common/request-context';
import type { NormalisedIdentifier } from './identifier-normalise';

export interface SeenInRow {
  record_type: 'person' | 'request' | 'asset_freeze_target' | 'arrest';
  record_id: string;
  fields: string[];
  held_as: 'own' | 'received' | null;
  handling_code: string | null;
  borrowed_name: boolean | null;
}

/** The most records a "seen in" answer lists. */
export const SEEN_IN_LIMIT = 200;

/** The SQL of the identifier index (kept by triggers, migration 1763800070000). */
export class IdentifierIndexStore {
  constructor(private readonly m: EntityManager) {}

  /** The key `identifier_match_key` gives a normalised identifier: the same function keys stored values. */
  async matchKeys(ids: NormalisedIdentifier[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows: Array<{ key: string }> = await this.m.query(
      `SELECT identifier_match_key(x.e ->> 'kind', x.e ->> 'qualifier', x.e ->> 'value') AS key
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(e, n)
        ORDER BY x.n`,
      [JSON.stringify(ids)],
    );
    return rows.map((r) => r.key);
  }

  /**
   * The records carrying `key` that the actor's country may see, each by its own record's scope (the
   * same rules as the record's own read), so a record not shared with the caller is neither listed nor
   * counted. A person the caller keeps a copy of (cooperation with its owner ended) is found by what
   * that copy holds, and only by that: a number the owner added since is not read
   * (`identifierRowReadable`), one it removed since still is (`person_kept_identifier`, probe r10). Most recently indexed first, as the caller reads each record (`indexedAsRead`):
   * another country's record carries the identifier from when it reached the caller, so the order (and
   * which records make the limit) says nothing of when its owner recorded or edited it before that.
   */
  seenIn(actor: Actor, key: string): Promise<SeenInRow[]> {
    const params: unknown[] = [key, actor.countryCode];
    const readable = positional(identifierRowReadable(actor, 'i'), params);
    const indexed = positional(indexedAsRead(actor, 'i'), params);
    return this.m.query(
      `SELECT i.record_type, i.record_id::text, array_agg(DISTINCT i.field ORDER BY i.field) AS fields,
              CASE WHEN bool_or(i.holder_country = $2 AND i.standing = 'own') THEN 'own'
                   WHEN bool_or(i.holder_country = $2) THEN 'received' END AS held_as,
              CASE WHEN NOT bool_or(i.holder_country = $2 AND i.standing = 'own')
                   THEN min(i.handling_code) FILTER (WHERE i.holder_country = $2) END AS handling_code,
              bool_or(i.borrowed_name) AS borrowed_name
         FROM (SELECT x.record_type, x.record_id, x.match_key, x.field, x.holder_country, x.standing,
                      x.handling_code, x.borrowed_name, x.indexed_at
                 FROM identifier_index x WHERE x.match_key = $1
               UNION ALL
               -- What the caller's copies hold, also a number the owner removed since (no row above).
               SELECT 'person', k.person_id, k.match_key, k.field, kp.owner_country, 'own', NULL, NULL,
                      coalesce(k.indexed_at, '-infinity')
                 FROM person_kept_identifier k JOIN person kp ON kp.id = k.person_id
                WHERE k.match_key = $1 AND k.country_code = $2) i
        WHERE ${readable}
        GROUP BY i.record_type, i.record_id
        ORDER BY max(${indexed}) DESC, i.record_id
        LIMIT ${SEEN_IN_LIMIT}`,
      params,
    );
  }
}
