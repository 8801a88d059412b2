import type { EntityManager } from 'typeorm';
import {
  arrestScope,
  caseScope,
  countryAsWhole,
  identifierRowReadable,
  positional,
  requestScope,
  userMayReadArrest,
  userMayReadRecord,
} from '../access/scopes';
import { returningRows } from '../database/returning';
import { queryPrepared } from '../database/sql-parts';

/** A correlation claimed for announcing, with what its notice names and who may hear of it. */
export interface ClaimedCorrelation {
  id: string;
  case_id: string;
  case_reference: string;
  case_open: boolean;
  country_code: string;
  match_key: string;
  kind: string;
  field: string;
  /** The newly visible record: a request, a case or an arrest shared with the country. */
  record_type: 'request' | 'case' | 'arrest';
  record_id: string;
  /** A request's kind, or `case`, or `arrest`. */
  record_kind: string;
  /**
   * As the country reads it: the request's reference, the share's (null once the share is revoked), an
   * arrest's day and place (arrests have no reference).
   */
  record_reference: string | null;
  /** The country on the record's other side: who sent the request or answered it, who shared the case or arrest. */
  from_country: string;
  /** The case's lead officer (its creator when it has none), if active and allowed to read the record. */
  recipients: string[];
}

/** Which unannounced rows a claim takes. */
export type ClaimScope = 'this-transaction' | 'left-over';

/**
 * The SQL of correlation alerts. Rows are written by the trigger on `identifier_index` (migration
 * 1763800080000); the app claims them (sets `announced_at`) to announce each once.
 */
export class CorrelationAlertStore {
  constructor(private readonly m: EntityManager) {}

  /**
   * Claims unannounced rows: the running transaction's own (found by its id: a transaction that wrote
   * none has no id yet, and the probe reads an empty partial index), or rows some write outside the app
   * left (any transaction that could still announce them has ended, since uncommitted rows are not seen)
   * and rows withheld before (`withhold`), those never checked first, then the least recently checked,
   * so withheld rows that stay unreadable never crowd out the rest.
   */
  async claim(scope: ClaimScope, limit = 500): Promise<ClaimedCorrelation[]> {
    // The transaction's own rows are looked for with a plain read first: most transactions wrote none
    // (and a read-only one may not UPDATE at all).
    const ids: Array<{ id: string }> =
      scope === 'this-transaction'
        ? // Prepared: it runs before every commit of every transaction (`onEveryCommit`), and planning
          // it took ten times as long as running it.
          await queryPrepared<{ id: string }>(
            this.m,
            `SELECT id FROM identifier_correlation
              WHERE announced_at IS NULL AND withheld_at IS NULL AND tx_id = pg_current_xact_id_if_assigned()`,
            [],
          )
        : await this.m.query(
            `SELECT id FROM identifier_correlation
              WHERE announced_at IS NULL AND tx_id <> coalesce(pg_current_xact_id_if_assigned(), '0'::xid8)
              ORDER BY withheld_at NULLS FIRST, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
            [limit],
          );
    if (!ids.length) return [];
    const claimed = await returningRows<{ id: string }>(
      this.m,
      `UPDATE identifier_correlation SET announced_at = clock_timestamp()
        WHERE id = ANY($1::bigint[]) AND announced_at IS NULL
        RETURNING id`,
      [ids.map((r) => r.id)],
    );
    if (!claimed.length) return [];
    return this.m.query(
      `SELECT ic.id::text, ic.case_id, c.reference AS case_reference, c.status = 'open' AS case_open,
              ic.country_code::text, ic.match_key, ic.kind, ic.field, ic.record_type, ic.record_id,
              CASE ic.record_type WHEN 'request' THEN r.kind ELSE ic.record_type END AS record_kind,
              CASE ic.record_type WHEN 'request' THEN r.reference
                                  WHEN 'arrest' THEN to_char(ar.arrested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') || ', ' || ar.place
                                  ELSE ss.reference END AS record_reference,
              CASE ic.record_type
                WHEN 'request' THEN CASE WHEN r.target_country = ic.country_code THEN r.origin_country ELSE r.target_country END
                WHEN 'arrest' THEN ar.arresting_country
                ELSE sc.owner_country END::text AS from_country,
              ARRAY(SELECT u.id::text FROM app_user u
                     WHERE u.id = coalesce(c.lead_officer_id, c.created_by)
                       AND u.status = 'active' AND u.country_code = c.owner_country
                       AND CASE ic.record_type
                             WHEN 'request' THEN ${userMayReadRecord('request', 'ic.record_id', 'u')}
                             WHEN 'case' THEN ${userMayReadRecord('case', 'ic.record_id', 'u')}
                             WHEN 'arrest' THEN ${userMayReadArrest('ic.record_id', 'u')}
                             ELSE false END) AS recipients
         FROM identifier_correlation ic
         JOIN case_file c ON c.id = ic.case_id
         LEFT JOIN cross_border_request r ON ic.record_type = 'request' AND r.id = ic.record_id
         LEFT JOIN case_file sc ON ic.record_type = 'case' AND sc.id = ic.record_id
         LEFT JOIN case_share ss ON ss.case_id = sc.id AND ss.country_code = ic.country_code AND ss.revoked_at IS NULL
         LEFT JOIN arrest ar ON ic.record_type = 'arrest' AND ar.id = ic.record_id
        WHERE ic.id = ANY($1::bigint[])
        ORDER BY ic.id`,
      [claimed.map((c) => c.id)],
    );
  }

  /**
   * The country does not read both sides yet: the row goes back to unannounced, marked with when it was
   * checked, for the sweep to check again (access changes: a share made again, a framework renewed).
   * Nothing of it is told meanwhile, not even to the country's audit trail.
   */
  async withhold(id: string): Promise<void> {
    await this.m.query(
      `UPDATE identifier_correlation SET announced_at = NULL, withheld_at = clock_timestamp() WHERE id = $1`,
      [id],
    );
  }

  /**
   * Whether the case's country reads the identifier on both sides of the correlation, by the scopes in
   * `access/` (`identifierRowReadable`, the rule of "seen in"): in the newly visible record, which it may
   * see (a request's own identifiers or freeze targets, or a person it names; a shared case's persons;
   * an arrest's place or its person), and in its own case (the carriers the trigger matched). The
   * triggers match the index as stored, whatever the reader: a case "holds" the numbers of a person it
   * arrested, live, even once the country no longer reads that person (a share revoked), and a person's
   * numbers are indexed for its owner, not as a country's kept copy holds them, so without this an alert
   * told a country a phone or passport it may not read.
   */
  async readsBothSides(row: ClaimedCorrelation): Promise<boolean> {
    const actor = countryAsWhole(row.country_code);
    const params: unknown[] = [row.match_key, row.country_code, row.case_id, row.record_id];
    const readable = positional(identifierRowReadable(actor, 'i'), params);
    const carried = positional(identifierRowReadable(actor, 'ci'), params);
    const record = positional(
      row.record_type === 'request'
        ? requestScope(actor, 'rec')
        : row.record_type === 'case'
          ? caseScope(actor, 'rec')
          : arrestScope(actor, 'rec'),
      params,
    );
    const table = { request: 'cross_border_request', case: 'case_file', arrest: 'arrest' }[row.record_type];
    const inRecord = {
      request: `(i.record_type = 'request' AND i.record_id = $4)
        OR (i.record_type = 'asset_freeze_target' AND EXISTS (SELECT 1 FROM asset_freeze_target t
              WHERE t.id = i.record_id AND t.request_id = $4))
        OR (i.record_type = 'person' AND EXISTS (SELECT 1 FROM request_person rp
              WHERE rp.request_id = $4 AND rp.person_id = i.record_id))`,
      case: `i.record_type = 'person' AND EXISTS (SELECT 1 FROM case_person cp
              WHERE cp.case_id = $4 AND cp.person_id = i.record_id)`,
      arrest: `(i.record_type = 'arrest' AND i.record_id = $4)
        OR (i.record_type = 'person' AND EXISTS (SELECT 1 FROM arrest ra WHERE ra.id = $4 AND ra.person_id = i.record_id))`,
    }[row.record_type];
    const [answer]: Array<{ reads: boolean }> = await this.m.query(
      `SELECT EXISTS (SELECT 1 FROM ${table} rec WHERE rec.id = $4 AND ${record})
          AND EXISTS (SELECT 1 FROM identifier_index i WHERE i.match_key = $1 AND (${inRecord}) AND ${readable})
          AND EXISTS (SELECT 1 FROM identifier_case_carriers($1, $2::char(2)) k
                        JOIN identifier_index ci ON ci.record_type = k.record_type AND ci.record_id = k.record_id
                                                AND ci.match_key = $1
                       WHERE k.case_id = $3 AND ${carried}) AS reads`,
      params,
    );
    return answer?.reads === true;
  }
}
