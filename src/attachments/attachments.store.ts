import type { EntityManager } from 'typeorm';
import {
  ATTACHMENT_REQUEST_ID,
  attachmentDraftedAwaySql,
  attachmentParentSql,
  AttachmentParentType,
  arrestReachedAt,
  arrestSeenSince,
  auditEventScope,
  caseSeenSince,
  cooperationResumed,
  countriesToldBy,
  hangsOn,
  mayHangOn,
  notToldTo,
  personSeenSince,
  positional,
} from '../access/scopes';
import type { Actor } from '../common/request-context';
import type { CursorPosition } from '../common/pagination/page';
import { returningRows } from '../database/returning';
import { queryPrepared } from '../database/sql-parts';

export type ParentType = AttachmentParentType;

export interface AttachmentRow {
  id: string;
  parent_type: ParentType;
  parent_id: string;
  owner_country: string;
  filename: string;
  media_type: string;
  size_bytes: string;
  sha256: string;
  uploaded_by: string;
  uploader_username: string;
  uploader_country: string;
  uploaded_at: Date;
  supersedes: string | null;
  superseded_by: string | null;
  withdrawn_at: Date | null;
  withdrawn_by: string | null;
  withdrawal_reason: string | null;
  /** The row an upload named, for every copy of it on the threads of an unsent dispatch. */
  dispatch_group: string | null;
}

export interface NewAttachment {
  parentType: ParentType;
  parentId: string;
  ownerCountry: string;
  filename: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: string;
  uploaderCountry: string;
  supersedes: string | null;
  /** Given when the row's id must be known before it is written (a dispatch's copies name it). */
  id?: string;
  dispatchGroup?: string | null;
}

/**
 * SQL: when the kept copy `k` was taken, at the precision of the attachment's own times (`uploaded_at`,
 * `withdrawn_at`: `timestamptz(3)`). Both are `now()` of their transaction rounded to the millisecond as
 * they are stored; `kept_since` keeps the microseconds. Compared as they stand, an upload or withdrawal
 * in the very transaction that took the copy read as before it whenever that transaction began in the
 * first half of a millisecond (probe r10). Rounded alike, a change made with or after the copy is never
 * before it (rounding keeps the order); one made by another transaction begun in the same millisecond
 * as the copy reads as after it, and is hidden: when two transactions began within a millisecond of
 * each other their order is not what time says anyway, and hiding errs on the side of the owner.
 */
const keptAsFileTime = (k: string) => `${k}.kept_since::timestamptz(3)`;

/**
 * `frozenAt`: SQL, a time after which the reader reads nothing the owner did to the file (its kept copy
 * of the person), or 'NULL': a withdrawal after it, and a newer version uploaded after it, are not shown.
 * `withdrawalUntold`: SQL, true when the withdrawal was made while the reader was not told of the record
 * (it reads the file withdrawn, as of `withdrawnFloor`, but not who withdrew it or why).
 */
const COLUMNS = (
  uploadedAt: string,
  supersedes: string,
  frozenAt = 'NULL',
  withdrawnFloor?: string,
  hiddenVersion: (alias: string) => string = () => 'false',
  withdrawalUntold = 'false',
) => {
  const later = (at: string) => `COALESCE(${frozenAt} <= ${at}, false)`;
  const asOf = (column: string, floor?: string, untold = 'false') =>
    // GREATEST passes NULLs over: a file not withdrawn must stay so, whatever the floor.
    `CASE WHEN ${later('a.withdrawn_at')} OR a.${column} IS NULL OR ${untold} THEN NULL ELSE ${
      floor ? `GREATEST(a.${column}, ${floor})` : `a.${column}`
    } END`;
  return `SELECT a.id, a.parent_type,
    COALESCE(a.case_id, a.person_id, a.request_id, a.arrest_id, a.asset_freeze_target_id, a.blacklist_entry_id) AS parent_id,
    a.owner_country, a.filename, a.media_type, a.size_bytes::text AS size_bytes, a.sha256, a.uploaded_by,
    u.username AS uploader_username, a.uploader_country, ${uploadedAt} AS uploaded_at, ${supersedes} AS supersedes,
    (SELECT n.id FROM attachment n WHERE n.supersedes = a.id AND NOT ${later('n.uploaded_at')}
        AND NOT ${hiddenVersion('n')}) AS superseded_by,
    ${asOf('withdrawn_at', withdrawnFloor)} AS withdrawn_at, ${asOf('withdrawn_by', undefined, withdrawalUntold)} AS withdrawn_by,
    ${asOf('withdrawal_reason', undefined, withdrawalUntold)} AS withdrawal_reason, a.dispatch_group
  FROM attachment a JOIN app_user u ON u.id = a.uploaded_by`;
};

/** Every column as stored: for the uploader's own answer and for internal reads, never for a reader. */
const SELECT = COLUMNS('a.uploaded_at', 'a.supersedes');

/**
 * The columns as `actor` reads them. A file the origin attached to a request before sending it reaches
 * the target with the request: for the target it was given when the request was sent (`sentAt`, not
 * the drafting time), and what it replaced before sending does not exist (`attachmentDraftedAwaySql`),
 * so it names no earlier version. Likewise a file on another country's case or person: given no earlier
 * than the record reached the reader, and naming no version replaced before that. Parameters are
 * appended to `params`. `known`: the parent type of every row read, when the caller knows it (`mayHangOn`).
 */
function selectAs(actor: Actor, params: unknown[], known?: ParentType): string {
  if (!actor.countryCode) return SELECT;
  const on = (type: ParentType) => hangsOn('a', type, known);
  /** The `CASE` arms of the types the rows may hang on (`mayHangOn`): only those are written. */
  const arms = (...byType: Array<[ParentType, () => string]>) =>
    byType
      .filter(([type]) => mayHangOn(type, known))
      .map(([, arm]) => arm())
      .join('\n          ');
  params.push(actor.countryCode);
  const reader = params.length;
  const beforeSent = `(att_sent.at IS NOT NULL AND a.uploaded_at <= att_sent.at)`;
  // A file on another country's person: for the reader no earlier than the person last reached it
  // (`personSeenSince(…, 'max')`): when the owner filed it before, or while the reader could not read
  // the person (a share revoked, then made again), is the owner's (probe r5).
  const personSeen = once(
    () =>
      `(SELECT ${positional(personSeenSince(actor, 'att_sp', 'max'), params)} FROM person att_sp WHERE att_sp.id = a.person_id)`,
  );
  // Likewise a file on another country's case: no earlier than the share the reader reads it through.
  const caseSeen = once(
    () =>
      `(SELECT ${positional(caseSeenSince(actor, 'att_sc', 'max'), params)} FROM case_file att_sc WHERE att_sc.id = a.case_id)`,
  );
  // And on another country's arrest: no earlier than the arrest reached the reader (`arrestSeenSince`),
  // nor than it reached it again when filed while the reader could not read it (`arrestReachedAt`).
  const arrestSeen = once(
    () => `(SELECT GREATEST(${positional(arrestSeenSince(actor, 'att_sa'), params)},
      ${positional(arrestReachedAt(actor, 'att_sa', 'a.uploaded_at'), params)}) FROM arrest att_sa WHERE att_sa.id = a.arrest_id)`,
  );
  // A withdrawal of an arrest file made while the reader could not read the arrest (`arrestReachedAt`),
  // or while no framework joined it to the arresting country (not in `withdrawal_told`), reads as of
  // when the arrest reached the reader again or cooperation resumed, and without who withdrew it or why
  // (as a custody step of such a gap).
  const notTold = notToldTo('a.withdrawal_told', `$${reader}::char(2)`);
  const arrestWithdrawalSeen = once(
    () => `(SELECT GREATEST(${positional(arrestReachedAt(actor, 'att_wa', 'a.withdrawn_at'), params)},
        CASE WHEN ${notTold} THEN ${cooperationResumed('att_wa.arresting_country', `$${reader}::char(2)`)} END)
      FROM arrest att_wa WHERE att_wa.id = a.arrest_id)`,
  );
  return `${COLUMNS(
    `CASE WHEN ${beforeSent} THEN att_sent.sent_at
          ${arms(
            [
              'person',
              () =>
                `WHEN ${on('person')} AND a.owner_country <> $${reader} THEN GREATEST(a.uploaded_at, ${personSeen()})`,
            ],
            [
              'case',
              () =>
                `WHEN ${on('case')} AND a.owner_country <> $${reader} THEN GREATEST(a.uploaded_at, ${caseSeen()})`,
            ],
            [
              'arrest',
              () =>
                `WHEN ${on('arrest')} AND a.owner_country <> $${reader} THEN GREATEST(a.uploaded_at, ${arrestSeen()})`,
            ],
          )}
          ELSE a.uploaded_at END`,
    // The earlier version a file replaced, unless that version does not exist for the reader (replaced
    // before the record reached it, `attachmentDraftedAwaySql`): then the file names none. Versions hang
    // on the same type of record (migration 1763801180000), so `known` is theirs too.
    `CASE WHEN ${beforeSent} THEN NULL
          WHEN EXISTS (SELECT 1 FROM attachment att_o WHERE att_o.id = a.supersedes
                        AND ${attachmentDraftedAwaySql(actor, params, 'att_o', known)}) THEN NULL
          ELSE a.supersedes END`,
    // A person the reader keeps a copy of (cooperation with its owner ended) reads as it was then: its
    // files as well, with no later withdrawal and no later version (`notAfterKeptCopy` hides those). A
    // file on no person has none (`a.person_id` NULL).
    mayHangOn('person', known)
      ? `(SELECT ${keptAsFileTime('att_kc')} FROM person_kept_copy att_kc
       WHERE att_kc.person_id = a.person_id AND att_kc.country_code = $${reader})`
      : 'NULL',
    // A withdrawal made while the reader could not read the record reads as of its return, as uploads do.
    `CASE WHEN a.owner_country = $${reader} THEN NULL::timestamptz
          ${arms(
            ['person', () => `WHEN ${on('person')} THEN ${personSeen()}`],
            ['case', () => `WHEN ${on('case')} THEN ${caseSeen()}`],
            ['arrest', () => `WHEN ${on('arrest')} THEN ${arrestWithdrawalSeen()}`],
          )} END`,
    // Nor does a file name as its newer version one that does not exist for the reader (filed and
    // replaced or withdrawn while it could not read the record): the file reads as current (probe r6).
    (n) => attachmentDraftedAwaySql(actor, params, n, known),
    mayHangOn('arrest', known)
      ? `(${on('arrest')} AND a.owner_country <> $${reader}
      AND (${notTold} OR ${arrestWithdrawalSeen()} <> a.withdrawn_at))`
      : 'false',
  )}
  LEFT JOIN LATERAL (SELECT att_r.sent_at, att_h.at FROM cross_border_request att_r
      JOIN request_status_history att_h ON att_h.request_id = att_r.id AND att_h.action = 'approve'
     WHERE att_r.id = ${ATTACHMENT_REQUEST_ID} AND att_r.origin_country <> $${reader}
     ORDER BY att_h.id LIMIT 1) att_sent ON true`;
}

/** `make`'s value, made the first time it is asked for (so its parameters are added once, and only if used). */
function once(make: () => string): () => string {
  let made: string | undefined;
  return () => (made ??= make());
}

// The reads below name the rows' parent type where they know it (`mayHangOn`: the other types' rules
// are left out of the statement) and run as prepared statements (`queryPrepared`: a connection plans each shape a few
// times, then reuses a generic plan). In full, a reader's statement is ~35 KB with ~150 subqueries,
// which PostgreSQL took 40–60 ms to plan against well under a millisecond to run.

/**
 * "May this actor see this attachment": exactly when it may see the record the attachment hangs on
 * (`attachmentParentSql`, which also leaves out what another country withdrew or replaced before
 * sending), and for a person kept as a copy, only the files from before the copy.
 */
function visibleSql(actor: Actor, params: unknown[], known?: ParentType): string {
  return `${attachmentParentSql(actor, params, known)} AND ${notAfterKeptCopy(actor, params, known)}`;
}

/**
 * A country that keeps a copy of a person (its cooperation with the owner ended) reads only the files
 * that were on the person before it took the copy (a file added by the change that took it is after).
 */
function notAfterKeptCopy(actor: Actor, params: unknown[], known?: ParentType): string {
  if (!mayHangOn('person', known)) return 'true';
  params.push(actor.countryCode);
  return `(NOT (${hangsOn('a', 'person', known)}) OR NOT EXISTS (SELECT 1 FROM person_kept_copy att_k
     WHERE att_k.person_id = a.person_id AND att_k.country_code = $${params.length} AND ${keptAsFileTime('att_k')} <= a.uploaded_at))`;
}

export async function findAttachment(manager: EntityManager, id: string): Promise<AttachmentRow | null> {
  const [row] = (await manager.query(`${SELECT} WHERE a.id = $1`, [id])) as AttachmentRow[];
  return row ?? null;
}

export async function findVisibleAttachment(
  manager: EntityManager,
  actor: Actor,
  id: string,
): Promise<AttachmentRow | null> {
  // The parent type first (an attachment's never changes), so the reader's statement holds only that
  // type's rules. An id of no attachment is read as one on a case: the same two statements either way.
  const [parent] = (await manager.query(`SELECT parent_type FROM attachment WHERE id = $1`, [id])) as Array<{
    parent_type: ParentType;
  }>;
  const known = parent?.parent_type ?? 'case';
  const params: unknown[] = [id];
  const select = selectAs(actor, params, known);
  const [row] = await queryPrepared<AttachmentRow>(
    manager,
    `${select} WHERE a.id = $1 AND ${visibleSql(actor, params, known)}`,
    params,
  );
  return row ?? null;
}

/**
 * A parent's attachments, newest first (by the time the caller reads, `selectAs`), by keyset. The
 * caller has checked the parent is visible.
 */
export function attachmentsOf(
  manager: EntityManager,
  actor: Actor,
  parentType: ParentType,
  parentId: string,
  limit: number,
  after: CursorPosition | null,
): Promise<AttachmentRow[]> {
  const params: unknown[] = [parentId, limit + 1];
  // Every row read hangs on `parentType` (`a.<type>_id = $1`, and a row names one parent only).
  const select = selectAs(actor, params, parentType);
  const kept = notAfterKeptCopy(actor, params, parentType);
  const draftedAway = attachmentDraftedAwaySql(actor, params, 'a', parentType);
  let keyset = '';
  if (after) {
    params.push(after.at, after.id);
    keyset = `WHERE (x.uploaded_at, x.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
  }
  return queryPrepared<AttachmentRow>(
    manager,
    `SELECT * FROM (${select} WHERE a.${parentType}_id = $1 AND ${kept} AND NOT ${draftedAway}) x
      ${keyset} ORDER BY x.uploaded_at DESC, x.id DESC LIMIT $2`,
    params,
  );
}

export async function insertAttachment(manager: EntityManager, a: NewAttachment): Promise<string> {
  const [row] = (await manager.query(
    `INSERT INTO attachment (id, parent_type, ${a.parentType}_id, owner_country, filename, media_type, size_bytes,
       sha256, uploaded_by, uploader_country, supersedes, dispatch_group)
     VALUES (COALESCE($11::uuid, gen_random_uuid()), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $12) RETURNING id`,
    [
      a.parentType,
      a.parentId,
      a.ownerCountry,
      a.filename,
      a.mediaType,
      a.sizeBytes,
      a.sha256,
      a.uploadedBy,
      a.uploaderCountry,
      a.supersedes,
      a.id ?? null,
      a.dispatchGroup ?? null,
    ],
  )) as Array<{ id: string }>;
  return row.id;
}

/** Withdraws once: false when it was already withdrawn (a concurrent withdrawal won). */
export async function markWithdrawn(
  manager: EntityManager,
  id: string,
  userId: string,
  reason: string,
): Promise<boolean> {
  const rows = await returningRows(
    manager,
    // For an arrest's file, whom the withdrawal is told to (`selectAs`): the countries cooperating now.
    `UPDATE attachment SET withdrawn_at = now(), withdrawn_by = $2, withdrawal_reason = $3,
            withdrawal_told = CASE WHEN arrest_id IS NOT NULL THEN ${countriesToldBy('attachment.owner_country')} END
      WHERE id = $1 AND withdrawn_at IS NULL RETURNING id`,
    [id, userId, reason],
  );
  return rows.length > 0;
}

/**
 * Takes the attachments `FOR SHARE`, in id order, until the running transaction ends: a withdrawal
 * (`markWithdrawn`) waits for it. A reader that read them before reads them again after this: a
 * withdrawal committed in between is seen then, and none can follow until its download is audited.
 */
export async function holdAttachments(manager: EntityManager, ids: string[]): Promise<void> {
  if (ids.length)
    await manager.query(`SELECT 1 FROM attachment WHERE id = ANY($1::uuid[]) ORDER BY id FOR SHARE`, [ids]);
}

/**
 * Serialises everything that adds or drops a reference to one stored content: an upload whose
 * transaction failed removes its bytes only when no attachment names them, and an upload of the
 * same bytes racing with it waits here and finds them gone or kept.
 */
export async function lockContent(manager: EntityManager, sha256: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 19))`, [`attachment:${sha256}`]);
}

export async function contentIsNamed(manager: EntityManager, sha256: string): Promise<boolean> {
  const [row] = (await manager.query(`SELECT 1 FROM attachment WHERE sha256 = $1 LIMIT 1`, [
    sha256,
  ])) as unknown[];
  return row !== undefined;
}

/**
 * The attachments a case bundle holds for this actor: those on the case itself and, for the case's
 * owner country only, those on its information requests and arrests (the target of a request is not
 * told which case it belongs to, so a bundle must not tell it either). Each still under its own
 * parent's rule. Oldest first, so a bundle reads in the order the evidence came in to the reader.
 */
export function attachmentsOfCaseBundle(
  manager: EntityManager,
  actor: Actor,
  caseId: string,
  ownerOfCase: boolean,
): Promise<AttachmentRow[]> {
  const params: unknown[] = [caseId];
  const related = ownerOfCase
    ? `OR a.request_id IN (SELECT id FROM cross_border_request WHERE case_id = $1)
       OR a.arrest_id IN (SELECT id FROM arrest WHERE case_id = $1)`
    : '';
  // Another country's bundle reads the case's own files only (`mayHangOn`).
  const known = ownerOfCase ? undefined : 'case';
  const select = selectAs(actor, params, known);
  // Ordered by the time the reader reads (`selectAs`): the owner's own upload order of files filed
  // before the case reached a partner is the owner's, and would show in the bundle's numbering.
  return queryPrepared<AttachmentRow>(
    manager,
    `SELECT * FROM (${select} WHERE (a.case_id = $1 ${related}) AND ${visibleSql(actor, params, known)}) x
      ORDER BY x.uploaded_at, x.id`,
    params,
  );
}

export interface CustodyEventRow {
  id: string;
  occurred_at: Date;
  action: string;
  outcome: string;
  actor_country: string | null;
  record_type: string;
  record_id: string;
  sha256: string | null;
}

/**
 * The case's and its files' audit events that the actor's country may read (`auditEventScope`, the
 * rule auditors read by), reduced to what a custody timeline needs: when, what, which country, and the
 * hash. Field changes and comments stay in the audit trail.
 */
export function custodyEvents(
  manager: EntityManager,
  actor: Actor,
  caseId: string,
  attachmentIds: string[],
): Promise<CustodyEventRow[]> {
  const params: unknown[] = [caseId, attachmentIds];
  const scope = positional(auditEventScope(actor, 'e'), params);
  return manager.query(
    `SELECT e.id::text AS id, e.occurred_at, e.action, e.outcome, e.actor_country, e.record_type, e.record_id,
            COALESCE(e.details->>'sha256', e.changes->'after'->>'sha256', e.changes->>'sha256') AS sha256
       FROM audit_event e
      WHERE ((e.record_type = 'case' AND e.record_id = $1::text)
          OR (e.record_type = 'attachment' AND e.record_id = ANY($2::text[])))
        AND e.action <> 'access.denied' AND ${scope}
      ORDER BY e.id`,
    params,
  ) as Promise<CustodyEventRow[]>;
}
