import type { EntityManager } from 'typeorm';
import { userMayReadRecord } from '../access/scopes';
import { returningRows } from '../database/returning';

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
  request_id: string;
  request_kind: string;
  request_reference: string | null;
  origin_country: string;
  target_country: string;
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
   * left (any transaction that could still announce them has ended, since uncommitted rows are not seen).
   */
  async claim(scope: ClaimScope, limit = 500): Promise<ClaimedCorrelation[]> {
    // The transaction's own rows are looked for with a plain read first: most transactions wrote none
    // (and a read-only one may not UPDATE at all).
    const ids: Array<{ id: string }> =
      scope === 'this-transaction'
        ? await this.m.query(
            `SELECT id FROM identifier_correlation
              WHERE announced_at IS NULL AND tx_id = pg_current_xact_id_if_assigned()`,
          )
        : await this.m.query(
            `SELECT id FROM identifier_correlation
              WHERE announced_at IS NULL AND tx_id <> coalesce(pg_current_xact_id_if_assigned(), '0'::xid8)
              ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
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
              ic.country_code::text, ic.match_key, ic.kind, ic.field,
              r.id AS request_id, r.kind AS request_kind, r.reference AS request_reference,
              r.origin_country::text, r.target_country::text,
              ARRAY(SELECT u.id::text FROM app_user u
                     WHERE u.id = coalesce(c.lead_officer_id, c.created_by)
                       AND u.status = 'active' AND u.country_code = c.owner_country
                       AND ${userMayReadRecord('request', 'ic.record_id', 'u')}) AS recipients
         FROM identifier_correlation ic
         JOIN case_file c ON c.id = ic.case_id
         JOIN cross_border_request r ON r.id = ic.record_id
        WHERE ic.id = ANY($1::bigint[])
        ORDER BY ic.id`,
      [claimed.map((c) => c.id)],
    );
  }
}
