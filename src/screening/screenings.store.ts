import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { auditEventInsert } from '../audit/audit-event.writer';
import type { AuditEventInput } from '../audit/audit-event.input';
import { positional, type Scope } from '../access/scopes';
import type { CursorPosition } from '../common/pagination/page';
import type { RequestContext } from '../common/request-context';
import { queryPrepared, SqlParams } from '../database/sql-parts';

/** A candidate of a screening as it is kept: what the screener is shown of it. */
export interface KeptCandidateInput {
  entryId: string;
  /** As kept (numeric(5,4)), `keptScore`. */
  score: string;
  queryName: string;
  entryName: string;
  reasons: string[];
}

/** A screening to keep: the query as the screener sent it and the candidates they are shown. */
export interface NewScreening {
  countryCode: string;
  screenerId: string;
  checkpoint: string;
  /** The request body, kept as sent. */
  query: unknown;
  documentKey: string | null;
  /** The query's search keys: a later re-screening reads only the screenings that share one. */
  queryKeys: string[];
  candidates: KeptCandidateInput[];
  /** The `screening.run` event, less its record id (the screening's, given here). */
  audit: Omit<AuditEventInput, 'recordId'>;
}

export interface KeptScreening {
  id: string;
  created_at: Date;
  /** The `screening_candidate` id of each candidate, by entry id. */
  candidates: Record<string, string>;
  /** Entries among the candidates that a screener of the country cleared for the same document before. */
  cleared: string[];
}

/** What `GET /screenings` filters by, besides the caller's country (`screeningScope`). */
export interface ScreeningListFilters {
  /** With a candidate nobody has decided (`true`), or without one (`false`). */
  undecided?: boolean;
  checkpoint?: string;
  /** At or after (ISO 8601, as PostgreSQL reads a `timestamptz`). */
  from?: string;
  /** Before (exclusive). */
  to?: string;
}

/** A listed screening, with its candidates counted. */
export interface ScreeningSummaryRow {
  id: string;
  checkpoint: string;
  country_code: string;
  created_at: Date;
  candidates: number;
  undecided: number;
  undecided_alerts: number;
}

/**
 * "Cleared before for this document": candidate `pc` was cleared, in an earlier screening (before
 * `before`) of the same document (`documentKey`) by a screener of `country`, against the identity of
 * the entry that the candidate being marked was found against (`identityAt`, an SQL expression of its
 * `entry_identity_at`). A clearance says "the traveller is not this person as the entry then named
 * them": once an amendment the banning country accepted changed the entry's names, date of birth,
 * nationalities, sex or documents, the same traveller may be the person it names now, and the old
 * clearance counts no more; a clearance made against the new identity counts again. Compared as marks
 * of one identity (the entry's `identity_taken_at` when each candidate was written), not as times: a
 * screening read later shows what it showed when it ran, and the app's clock (an amendment's) and the
 * database's (a decision's) never meet. An unmarked candidate (kept before the mark, from a screening
 * older than the entry's last change) neither counts as a clearance nor is shown as cleared before. The clearances of the
 * entries are read first (`screening_candidate_cleared`, a partial index: clearances are few), and only
 * their own screening is looked at, by its key. The screening's conditions sit in a scalar subquery
 * so that the planner cannot start from the other side: a join to `screening` let it read every
 * earlier screening of the document (`screening_document`) and probe its candidates, a cost that grew
 * with each crossing of the traveller. The statement is prepared, and its generic plan assumes an
 * average document (one screening, without statistics): it took that order for every document, the
 * busiest too. The cost is now one look-up per clearance of the candidates' entries, whatever the
 * document's history (bench/README.md, session 12).
 */
export function clearedBefore(
  pc: string,
  country: string,
  documentKey: string,
  before: string,
  identityAt: string,
): string {
  return `${pc}.decision = 'cleared' AND ${pc}.entry_identity_at = ${identityAt}
           AND (SELECT ps.country_code = ${country} AND ps.document_key = ${documentKey} AND ps.created_at < ${before}
                  FROM screening ps WHERE ps.id = ${pc}.screening_id)`;
}

/**
 * SQL (a timestamptz): the mark of the identity the entry `entryId` (an SQL expression) has now, which a
 * candidate of it keeps as `entry_identity_at`: its `identity_taken_at`, set at activation and by each
 * accepted amendment, the only writes of an entry's identity. Read as the candidate is written; an
 * amendment committed between the candidate pool's read and this write (a few milliseconds) would mark
 * the candidate with the identity it was not scored against.
 */
export function entryIdentityAt(entryId: string): string {
  return `(SELECT e.identity_taken_at FROM blacklist_entry e WHERE e.id = ${entryId})`;
}

/**
 * The SQL of screenings. A screening is written in one statement: the screening row, its candidates
 * (up to 50), its audit event and the read of what was cleared before for the same traveller's
 * document. One statement is one transaction even without BEGIN, so the screening and its event
 * commit together or not at all, in one round trip instead of BEGIN, three statements and COMMIT.
 * Inside a running transaction (an `Idempotency-Key` claim) it joins it.
 */
export class ScreeningsStore {
  constructor(private readonly m: EntityManager) {}

  async keep(ctx: RequestContext, s: NewScreening): Promise<KeptScreening> {
    const id = randomUUID();
    const params = new SqlParams();
    const p = (value: unknown) => params.add(value);
    const country = p(s.countryCode);
    const documentKey = p(s.documentKey);
    const screening = `INSERT INTO screening (id, country_code, screener_id, checkpoint, query, document_key, query_keys)
         VALUES (${p(id)}::uuid, ${country}, ${p(s.screenerId)}::uuid, ${p(s.checkpoint)}, ${p(JSON.stringify(s.query))}::jsonb,
                 ${documentKey}::text, ${p(s.queryKeys)}::text[])
         RETURNING id, created_at`;
    // Each candidate is marked with the identity its entry has as it is written (`entryIdentityAt`).
    const candidates = `INSERT INTO screening_candidate (screening_id, entry_id, score, matched_query_name, matched_entry_name, reasons,
                                             entry_identity_at)
         SELECT s.id, x.entry_id, x.score, x.query_name, x.entry_name, ARRAY(SELECT jsonb_array_elements_text(x.reasons)),
                ${entryIdentityAt('x.entry_id')}
           FROM s, jsonb_to_recordset(${p(
             JSON.stringify(
               s.candidates.map((c) => ({
                 entry_id: c.entryId,
                 score: c.score,
                 query_name: c.queryName,
                 entry_name: c.entryName,
                 reasons: c.reasons,
               })),
             ),
           )}::jsonb) AS x(entry_id uuid, score numeric, query_name text, entry_name text, reasons jsonb)
         RETURNING entry_id, id, entry_identity_at`;
    const audit = auditEventInsert(params, ctx, { ...s.audit, recordId: id }, 's');
    // The rule GET /screenings/:id applies (so both show the same): cleared for this document by a
    // screener of this country in an earlier screening, against the identity this screening's candidate
    // of the entry was found against (its mark, as `c` wrote it). Rows written by this statement are not
    // seen.
    // With no candidates (most screenings) or no document it is not run at all (a one-time filter).
    const entryIds = p(s.candidates.map((c) => c.entryId));
    const cleared = `SELECT DISTINCT pc.entry_id::text FROM screening_candidate pc
         WHERE ${documentKey}::text IS NOT NULL AND cardinality(${entryIds}::uuid[]) > 0
           AND pc.entry_id = ANY(${entryIds}::uuid[])
           AND ${clearedBefore(
             'pc',
             country,
             `${documentKey}::text`,
             '(SELECT created_at FROM s)',
             '(SELECT c.entry_identity_at FROM c WHERE c.entry_id = pc.entry_id)',
           )}`;
    const [kept] = await queryPrepared<KeptScreening>(
      this.m,
      `WITH s AS (${screening}),
       c AS (${candidates}),
       audit AS (${audit})
       SELECT s.id, s.created_at,
              (SELECT coalesce(jsonb_object_agg(c.entry_id, c.id), '{}') FROM c) AS candidates,
              ARRAY(${cleared}) AS cleared
         FROM s`,
      params.values,
    );
    return kept!;
  }

  /**
   * Up to `limit` screenings the caller may read (`readable`), newest first (then by id), after the
   * cursor's position, with their candidates counted: all of them, those nobody decided yet, and of
   * those, the ones at or above `alertThreshold` (the view's band: every kept candidate is in the alert
   * or the review band). The page is chosen first, from `screening` alone (`screening_country_time`),
   * and only its rows' candidates are counted.
   */
  async page(
    readable: Scope,
    filters: ScreeningListFilters,
    after: CursorPosition | null,
    limit: number,
    alertThreshold: number,
  ): Promise<ScreeningSummaryRow[]> {
    const params: unknown[] = [];
    const p = (value: unknown) => `$${params.push(value)}`;
    const where = [positional(readable, params)];
    if (filters.checkpoint !== undefined) where.push(`s.checkpoint = ${p(filters.checkpoint)}`);
    if (filters.from !== undefined) where.push(`s.created_at >= ${p(filters.from)}::timestamptz`);
    if (filters.to !== undefined) where.push(`s.created_at < ${p(filters.to)}::timestamptz`);
    if (filters.undecided !== undefined)
      where.push(`${filters.undecided ? '' : 'NOT '}EXISTS (SELECT 1 FROM screening_candidate u
                    WHERE u.screening_id = s.id AND u.decision IS NULL)`);
    if (after) where.push(`(s.created_at, s.id) < (${p(after.at)}::timestamptz, ${p(after.id)}::uuid)`);
    return this.m.query(
      `SELECT s.id, s.checkpoint, s.country_code, s.created_at, k.candidates, k.undecided, k.undecided_alerts
         FROM (SELECT s.id, s.checkpoint, s.country_code, s.created_at FROM screening s
                WHERE ${where.join(' AND ')}
                ORDER BY s.created_at DESC, s.id DESC LIMIT ${p(limit + 1)}) s
        CROSS JOIN LATERAL (
          SELECT count(*)::int AS candidates,
                 (count(*) FILTER (WHERE c.decision IS NULL))::int AS undecided,
                 (count(*) FILTER (WHERE c.decision IS NULL AND c.score >= ${p(alertThreshold)}::numeric))::int
                   AS undecided_alerts
            FROM screening_candidate c WHERE c.screening_id = s.id) k
        ORDER BY s.created_at DESC, s.id DESC`,
      params,
    );
  }
}
