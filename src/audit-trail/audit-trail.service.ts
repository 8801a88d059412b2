import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  arrestScope,
  attachmentRequestId,
  auditEventScope,
  personScope,
  positional,
  requestScope,
} from '../access/scopes';
import { rolesGrant } from '../common/permissions/permissions';
import type { Page } from '../common/pagination/page';
import { ForbiddenError, UnauthenticatedError, ValidationFailedError } from '../common/errors/domain-errors';
import type { Actor, RequestContext } from '../common/request-context';
import { AppConfig } from '../config/app-config.service';
import { TransactionService } from '../database/transaction.service';
import { canonicalEventColumns } from '../audit/audit-canonical';
import type { CheckpointRow } from '../audit/audit-chain-check';
import { AuditService } from '../audit/audit.service';
import {
  AuditEventResponse,
  AuditEventRow,
  CheckpointResponse,
  toAuditEventResponse,
  toCheckpointResponse,
} from '../audit/audit.mappers';
import { AuditEventIds } from '../audit/audit-event-ids';
import { AuditSigningKey } from '../audit/audit-signing-key';
import { AuditVerifierService, VerifyRange, VerifyResult } from '../audit/audit-verifier.service';
import { isWithheldRed, WITHHELD_RED } from '../sharing/withheld-red';
import { SENT_VERSION } from '../workflow/sent-version';
import type { AuditEventFilterDto } from './dto/audit-event-query.dto';
import { UUID } from '../common/http/validators';

/** What a country's auditor learns from verifying the chain: whether it holds, nothing of its size. */
export interface CountryVerifyResult {
  ok: boolean;
  reason: string | null;
}

export interface PageRequest {
  limit?: number;
  cursor?: string;
}

export const DEFAULT_PAGE_SIZE = 50;
export const EXPORT_BATCH_SIZE = 1000;

/**
 * One page of events with their seal: the page is chosen first (index scan on id with the filters),
 * then joined to the chain, so a deep page never walks the chain from its start.
 */
function selectEvents(where: string, order: 'ASC' | 'DESC', limit: number): string {
  return `SELECT ${canonicalEventColumns('e')}, c.seq::text AS seq, c.hash
    FROM (SELECT * FROM audit_event e ${where} ORDER BY e.id ${order} LIMIT ${limit}) e
    LEFT JOIN audit_chain c ON c.event_id = e.id
    ORDER BY e.id ${order}`;
}
// Aliased columns are ordered by the table's own (`k.seq`), never by the text alias.
const CHECKPOINT_SELECT = `SELECT k.seq::text AS seq, k.hash,
  to_char(k.signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS signed_at, k.signature, k.key_id
  FROM audit_checkpoint k`;

/** A checkpoint page cursor (the operator's): a chain position. */
export function encodeCursor(position: string): string {
  return Buffer.from(position, 'utf8').toString('base64url');
}

const MAX_BIGINT = 9_223_372_036_854_775_807n;

export function decodeCursor(cursor: string | undefined): string | null {
  if (cursor === undefined) return null;
  const position = Buffer.from(cursor, 'base64url').toString('utf8');
  // A sequence number is a bigint: more than its largest is no position (PostgreSQL refused the cast, a 500).
  if (!/^\d{1,19}$/.test(position) || BigInt(position) > MAX_BIGINT)
    throw new ValidationFailedError([{ field: 'cursor', message: 'cursor is not valid' }]);
  return position;
}

/**
 * An event as an auditor of `country` reads it; the stored event, its hash and seal are untouched.
 * - Read only as the counterpart (neither its actor's nor its owner's country), a step's `comment` is
 *   the other side's internal note and is left out (messages are the shared channel); so are the
 *   other country's staff details (user and agency ids, source address, user agent, request id). The
 *   same for the target's `assign` note read by the origin (see `RequestThreadService.history`).
 * - A refusal to show a record ("not found") read by the refused caller's country does not name the
 *   record's owner: the caller was told it does not exist, and its auditors are told no more.
 * - Whoever does not see an event whole gets neither its salt nor its hash: with them, a withheld field
 *   could be recovered by trying guesses (see migration 1763800025000).
 * - No country's reader sees an event whole in one respect: its row id and transaction id are hashed
 *   but never shown (they count every country's events and transactions), so nobody gets the salt, and
 *   the hash only of an event that has one (`sealOfWholeEvent`).
 */
function asReadBy(row: AuditEventRow, country: string, redWithheld = false): AuditEventRow {
  if (redWithheld) return withoutRedValues(asReadBy(row, country));
  const details = row.details as Record<string, unknown> | null;
  const ownOrOwned = row.actor_country === country || row.owner_country === country;
  if (row.owner_country !== country && row.action === 'access.denied' && details?.reason === 'not-visible')
    return { ...row, owner_country: null, ...SEALED_ONLY };
  // A refusal to pass on values received under RED: the caller's country's auditors are not among
  // RED's named recipients, so they are not told which country gave them.
  if (row.owner_country !== country && row.action === 'release.refused' && onlyWithheldRed(details))
    return { ...row, owner_country: null, ...SEALED_ONLY };
  // The target's `assign` note is its internal note too, although the request is the origin's.
  const internalToActor = row.action === 'request.assign' && row.actor_country !== country;
  // Another country's staff acting on the reader's own record (accepting its request) stay that
  // country's: who exactly, from where, with what.
  const foreignStaff = row.actor_country !== null && row.actor_country !== country;
  if (ownOrOwned && !internalToActor && !foreignStaff) return { ...row, ...sealOfWholeEvent(row) };
  const withheld: AuditEventRow = { ...row, ...SEALED_ONLY };
  if (!ownOrOwned || foreignStaff)
    Object.assign(withheld, {
      // Another country's staff are not named either: which reviewer rejected, which screener
      // confirmed, which officer asked is that country's (probe r8). Its country and role remain.
      ...(foreignStaff ? { actor_username: null } : {}),
      actor_user_id: null,
      actor_agency_id: null,
      source_ip: null,
      user_agent: null,
      request_id: null,
      changes: withoutStaffIds(row.changes),
    });
  if (details && 'comment' in details) {
    const { comment: _withheld, ...rest } = details;
    withheld.details = { ...rest, commentWithheld: true };
  }
  // The step that sent a request is the first its target reads: the version it left is the origin's
  // count of drafting steps, which `SENT_VERSION` keeps from the target everywhere else.
  if (row.owner_country !== country) withheld.changes = withoutDraftVersion(withheld.changes);
  return withheld;
}

/**
 * What an event says of a `RED` request the reader's country is the target of, when the reader is not
 * among its named recipients (an auditor who is not also a liaison): which step, when, by whom, its
 * status and version, which request and whom it was assigned to — the country's own steps are its to
 * oversee (probe r38) — but not what was written there: a step's comment or reason, a file's name, hash and size, a freeze step's amounts and reference,
 * each written as `WITHHELD_RED` (probe r42). The recipients typed those on a request the reader may not
 * read (404), and they may hold what the origin gave under RED (a step's comment naming its number).
 */
const RED_KEPT_DETAILS = new Set(['kind', 'reference', 'draftId', 'view', 'assigneeId', 'assignedTo']);
const RED_KEPT_CHANGES = new Set(['status', 'version', 'parentType', 'parentId', 'assigneeId', 'assignedTo']);

function withoutRedValues(row: AuditEventRow): AuditEventRow {
  const withheldIn = (values: unknown, kept: Set<string>): unknown =>
    values && typeof values === 'object' && !Array.isArray(values)
      ? Object.fromEntries(
          Object.entries(values as Record<string, unknown>).map(([k, v]) => [
            k,
            kept.has(k) ? v : WITHHELD_RED,
          ]),
        )
      : values;
  const changes =
    row.changes && typeof row.changes === 'object' && !Array.isArray(row.changes)
      ? Object.fromEntries(
          Object.entries(row.changes as Record<string, unknown>).map(([side, values]) => [
            side,
            withheldIn(values, RED_KEPT_CHANGES),
          ]),
        )
      : row.changes;
  return {
    ...row,
    ...SEALED_ONLY,
    details: withheldIn(row.details, RED_KEPT_DETAILS),
    changes,
  } as AuditEventRow;
}

/** Whether every value a `release.refused` event lists is a withheld RED one (`{ rule: 'RED', withheld: true }`). */
function onlyWithheldRed(details: Record<string, unknown> | null): boolean {
  const items = (Object.values(details ?? {}).filter(Array.isArray) as unknown[][]).flat();
  return items.length > 0 && items.every(isWithheldRed);
}

/** `changes` without a `version` from before the request was sent (below `SENT_VERSION`), on any side. */
function withoutDraftVersion(changes: unknown): unknown {
  if (!changes || typeof changes !== 'object' || Array.isArray(changes)) return changes;
  return Object.fromEntries(
    Object.entries(changes as Record<string, unknown>).map(([side, values]) => {
      if (!values || typeof values !== 'object' || Array.isArray(values)) return [side, values];
      const { version, ...rest } = values as Record<string, unknown>;
      return [side, typeof version === 'number' && version < SENT_VERSION ? rest : values];
    }),
  );
}

/** Fields naming a user of the acting country (`approvedBy`, `assignedTo`…), left out of `changes`. */
const STAFF_ID = /(By|^assignedTo|^assigneeId|UserId)$/;

function withoutStaffIds(changes: unknown): unknown {
  if (!changes || typeof changes !== 'object') return changes;
  return Object.fromEntries(
    Object.entries(changes as Record<string, unknown>).map(([side, values]) => [
      side,
      values && typeof values === 'object' && !Array.isArray(values)
        ? Object.fromEntries(Object.entries(values).filter(([k]) => !STAFF_ID.test(k)))
        : values,
    ]),
  );
}

/** What a reader who does not see the event whole keeps of its seal: nothing to test guesses with. */
const SEALED_ONLY = { hash: null, salt: null } as const;

/**
 * What a reader who sees every shown field of an event keeps of its seal: the hash (a fingerprint of
 * the chain link), never the salt. The hashed form also holds the event's row id and transaction id,
 * which no reader is shown: with the salt, a guess of those two numbers was confirmed by the hash, and
 * once one event's numbers were found, the next ones' were a small search away, an exact count of
 * every other country's events and transactions between two of the reader's own (probe r27). An event
 * from before salts hides nothing else from a guesser, so its hash is withheld too.
 */
function sealOfWholeEvent(row: AuditEventRow): Pick<AuditEventRow, 'hash' | 'salt'> {
  return { hash: row.salt ? row.hash : null, salt: null };
}

/** Builds `WHERE` conditions with numbered parameters. */
class Conditions {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  add(sql: (...p: string[]) => string, ...values: unknown[]): void {
    const names = values.map((value) => `$${this.params.push(value)}`);
    this.clauses.push(sql(...names));
  }

  /**
   * Events about one record: those naming it (`record_type`, `record_id`) and those listing it among
   * several (a raid's arrests and persons, a freeze request's targets: `audit_named_records`, indexed
   * with the same expression).
   */
  addRecord(type: string, id: string): void {
    this.params.push(type, id);
    const [t, i] = [`$${this.params.length - 1}`, `$${this.params.length}`];
    this.clauses.push(
      `(e.record_type = ${t} AND e.record_id = ${i}
        OR (e.details ? 'arrestIds' OR e.details ? 'personIds' OR e.changes #> '{after,targets}' IS NOT NULL
            OR e.changes #> '{after,arrestIds}' IS NOT NULL)
           AND audit_named_records(e.details, e.changes) @> jsonb_build_array(${t}::text || ':' || ${i}::text))`,
    );
  }

  /** A scope from src/access, its named parameters numbered after the ones already added. */
  addScope(scope: { sql: string; params: Record<string, unknown> }): void {
    this.clauses.push(positional(scope, this.params));
  }

  get where(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}

/**
 * What an auditor reads: the events of their country as actor or owner, and as counterpart where
 * `auditEventScope` (src/access) lets it read the record; one record's timeline, exports, checkpoints
 * and verification. Every read is itself recorded in the trail.
 */
@Injectable()
export class AuditTrailService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly verifier: AuditVerifierService,
    private readonly signingKey: AuditSigningKey,
    private readonly config: AppConfig,
    private readonly ids: AuditEventIds,
  ) {}

  /** The auditor's country; refuses anyone else. */
  auditorCountry(ctx: RequestContext): string {
    return this.auditor(ctx).countryCode!;
  }

  /**
   * Who checks the chain: a country's auditor, or the platform operator (`audit.chain`), who alone reads
   * chain positions and checkpoints — the chain holds every country's events, so they count them all.
   */
  private chainReader(ctx: RequestContext): { country: string | null; operator: boolean } {
    const actor = ctx.actor;
    if (actor?.kind !== 'user') throw new UnauthenticatedError('Sign in to check the audit trail.');
    if (!rolesGrant(actor.roles, 'audit.verify'))
      throw new ForbiddenError('Only auditors and the platform operator check the audit trail.');
    return { country: actor.countryCode ?? null, operator: rolesGrant(actor.roles, 'audit.chain') };
  }

  private chainOperator(ctx: RequestContext): string | null {
    const reader = this.chainReader(ctx);
    if (!reader.operator) throw new ForbiddenError('Checkpoints are read by the platform operator.');
    return reader.country;
  }

  private auditor(ctx: RequestContext): Actor {
    const actor = ctx.actor;
    if (actor?.kind !== 'user') throw new UnauthenticatedError('Sign in to read the audit trail.');
    if (!rolesGrant(actor.roles, 'audit.read'))
      throw new ForbiddenError('Only auditors read the audit trail.');
    if (!actor.countryCode) throw new ForbiddenError('Auditors read the trail of their own country.');
    return actor;
  }

  async list(
    ctx: RequestContext,
    filters: AuditEventFilterDto,
    page: PageRequest,
  ): Promise<Page<AuditEventResponse>> {
    const auditor = this.auditor(ctx);
    const country = auditor.countryCode!;
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    const conditions = this.conditions(auditor, filters);
    const before = this.ids.positionOf(page.cursor);
    if (before) conditions.add((p) => `e.id < ${p}::bigint`, before);
    const rows = await this.audit.recordRead(
      ctx,
      (): Promise<AuditEventRow[]> =>
        this.tx.manager.query(selectEvents(conditions.where, 'DESC', limit + 1), conditions.params),
      () => ({
        action: 'audit.read',
        ownerCountry: country,
        details: { view: 'list', filters: { ...filters }, cursor: page.cursor ?? null },
      }),
    );
    return this.page(auditor, rows, limit, country);
  }

  async timeline(
    ctx: RequestContext,
    recordType: string,
    recordId: string,
    page: PageRequest,
  ): Promise<Page<AuditEventResponse>> {
    const auditor = this.auditor(ctx);
    const country = auditor.countryCode!;
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    const conditions = this.conditions(auditor, { recordType, recordId });
    const after = this.ids.positionOf(page.cursor);
    if (after) conditions.add((p) => `e.id > ${p}::bigint`, after);
    const rows = await this.audit.recordRead(
      ctx,
      (): Promise<AuditEventRow[]> =>
        this.tx.manager.query(selectEvents(conditions.where, 'ASC', limit + 1), conditions.params),
      () => ({
        action: 'audit.read',
        recordType,
        recordId,
        ownerCountry: country,
        details: { view: 'timeline', cursor: page.cursor ?? null },
      }),
    );
    return this.page(auditor, rows, limit, country);
  }

  /**
   * The matching events oldest first, in batches read by keyset (constant memory), up to the newest
   * event that existed when the export started. Records `audit.export` before the first byte.
   */
  async export(
    ctx: RequestContext,
    filters: AuditEventFilterDto,
    format: 'ndjson' | 'csv',
  ): Promise<AsyncGenerator<AuditEventResponse[]>> {
    const auditor = this.auditor(ctx);
    const country = auditor.countryCode!;
    const upTo: string = await this.tx.run(async () => {
      await this.audit.record(ctx, {
        action: 'audit.export',
        ownerCountry: country,
        details: { format, filters: { ...filters } },
      });
      const [{ max }] = await this.tx.manager.query(
        `SELECT coalesce(max(id), 0)::text AS max FROM audit_event`,
      );
      return max as string;
    });
    return this.exportBatches(auditor, filters, upTo);
  }

  private async *exportBatches(
    auditor: Actor,
    filters: AuditEventFilterDto,
    upTo: string,
  ): AsyncGenerator<AuditEventResponse[]> {
    let after = '0';
    for (;;) {
      const conditions = this.conditions(auditor, filters);
      conditions.add((p) => `e.id > ${p}::bigint`, after);
      conditions.add((p) => `e.id <= ${p}::bigint`, upTo);
      const rows: AuditEventRow[] = await this.dataSource.query(
        selectEvents(conditions.where, 'ASC', EXPORT_BATCH_SIZE),
        conditions.params,
      );
      if (rows.length === 0) return;
      const red = await this.redWithheld(auditor, rows);
      yield rows.map((row) =>
        toAuditEventResponse(asReadBy(row, auditor.countryCode!, red.has(row.id)), this.ids.nameOf(row.id)),
      );
      if (rows.length < EXPORT_BATCH_SIZE) return;
      after = rows[rows.length - 1].id;
    }
  }

  async checkpoints(ctx: RequestContext, page: PageRequest): Promise<Page<CheckpointResponse>> {
    const country = this.chainOperator(ctx);
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    const before = decodeCursor(page.cursor);
    return this.tx.run(async () => {
      const rows: CheckpointRow[] = await this.tx.manager.query(
        `${CHECKPOINT_SELECT} ${before ? 'WHERE k.seq < $1::bigint' : ''} ORDER BY k.seq DESC LIMIT ${limit + 1}`,
        before ? [before] : [],
      );
      await this.audit.record(ctx, {
        action: 'audit.read',
        ownerCountry: country,
        details: { view: 'checkpoints', cursor: page.cursor ?? null },
      });
      const items = rows.slice(0, limit);
      return {
        items: items.map(toCheckpointResponse),
        nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1].seq) : null,
      };
    });
  }

  /** The newest signed checkpoint, or null while there is none. */
  async latestCheckpoint(ctx: RequestContext): Promise<CheckpointResponse | null> {
    const country = this.chainOperator(ctx);
    return this.tx.run(async () => {
      const rows: CheckpointRow[] = await this.tx.manager.query(
        `${CHECKPOINT_SELECT} ORDER BY k.seq DESC LIMIT 1`,
      );
      await this.audit.record(ctx, {
        action: 'audit.read',
        ownerCountry: country,
        details: { view: 'latest-checkpoint' },
      });
      return rows.length ? toCheckpointResponse(rows[0]) : null;
    });
  }

  /** The public key that verifies checkpoint signatures; keep a copy outside this system. */
  async publicKey(
    ctx: RequestContext,
  ): Promise<{ algorithm: 'Ed25519'; keyId: string; publicKeyPem: string; retentionYears: number }> {
    const { country } = this.chainReader(ctx);
    await this.tx.run(() =>
      this.audit.record(ctx, {
        action: 'audit.read',
        ownerCountry: country,
        details: { view: 'public-key' },
      }),
    );
    return {
      algorithm: 'Ed25519',
      keyId: this.signingKey.keyId,
      publicKeyPem: this.signingKey.publicKeyPem(),
      retentionYears: this.config.get('AUDIT_RETENTION_YEARS'),
    };
  }

  /**
   * Verifies the chain. The operator reads the whole result (where it breaks, how many events); a
   * country's auditor reads whether it holds, and verifies it whole: a range or a count would tell
   * how many events the other countries made.
   */
  async verify(ctx: RequestContext, range: VerifyRange): Promise<VerifyResult | CountryVerifyResult> {
    const { country, operator } = this.chainReader(ctx);
    if (!operator) {
      const ranged = (['fromSeq', 'toSeq', 'checkpoint'] as const).filter((f) => range[f] !== undefined);
      if (ranged.length)
        throw new ValidationFailedError(
          ranged.map((field) => ({
            field,
            message: `${field} is for the platform operator: an auditor verifies the whole chain`,
          })),
        );
    }
    const full = await this.verifier.verify(range);
    const result: VerifyResult | CountryVerifyResult = operator
      ? full
      : {
          ok: full.ok,
          reason: full.ok
            ? null
            : 'The audit chain does not verify. The platform operator locates the break with the same check.',
        };
    await this.tx.run(() =>
      this.audit.record(ctx, {
        action: 'audit.verify',
        outcome: full.ok ? 'success' : 'failed',
        ownerCountry: country,
        details: { ...result },
      }),
    );
    return result;
  }

  /** The auditor's scope (src/access: auditEventScope) and the filters, as SQL. */
  private conditions(auditor: Actor, filters: AuditEventFilterDto): Conditions {
    const c = new Conditions();
    c.addScope(auditEventScope(auditor, 'e'));
    if (filters.actor !== undefined) {
      // The page withholds other countries' staff ids and names (`asReadBy`), so the filter matches only
      // the auditor's own: a foreign id or username must find what an unknown one finds, nothing.
      if (UUID.test(filters.actor)) c.add((p) => `e.actor_user_id = ${p}::uuid`, filters.actor);
      else c.add((p) => `e.actor_username = ${p}`, filters.actor);
      c.add((p) => `e.actor_country = ${p}`, auditor.countryCode);
    }
    if (filters.excludeActors?.length) {
      // As `actor`: another country's staff are not told apart on the page, so naming one leaves out
      // nothing (a differential would otherwise tell which events were theirs).
      const ids = filters.excludeActors.filter((a) => UUID.test(a));
      const usernames = filters.excludeActors.filter((a) => !UUID.test(a));
      c.add(
        (country, idList, nameList) =>
          `NOT coalesce(e.actor_country = ${country} AND (e.actor_user_id = ANY(${idList}::uuid[])
             OR e.actor_username = ANY(${nameList}::text[])), false)`,
        auditor.countryCode,
        ids,
        usernames,
      );
    }
    if (filters.action !== undefined) c.add((p) => `e.action = ${p}`, filters.action);
    if (filters.outcome !== undefined) c.add((p) => `e.outcome = ${p}`, filters.outcome);
    if (filters.recordType !== undefined && filters.recordId !== undefined)
      c.addRecord(filters.recordType, filters.recordId);
    else if (filters.recordType !== undefined) c.add((p) => `e.record_type = ${p}`, filters.recordType);
    else if (filters.recordId !== undefined) c.add((p) => `e.record_id = ${p}`, filters.recordId);
    if (filters.from !== undefined) c.add((p) => `e.occurred_at >= ${p}::timestamptz`, filters.from);
    if (filters.to !== undefined) c.add((p) => `e.occurred_at < ${p}::timestamptz`, filters.to);
    return c;
  }

  /**
   * The events of `rows` about a `RED` request `auditor`'s country is the target of and `auditor` may
   * not read (`requestScope`): the request's own steps, its files', its freeze targets' — and the files
   * the country holds only through such a request (probe r46): a file of an arrest the request is about,
   * or of a person it names, where `auditor` reads neither the arrest nor the person (`arrestScope`,
   * `personScope`: by another way, a share or a request it reads, the file is its to read, and the events
   * too). Those files are read in the country by the request's named recipients alone; a read's event
   * keeps which file, who and when, as the request's own files' do, not its hash or size.
   */
  private async redWithheld(auditor: Actor, rows: AuditEventRow[]): Promise<Set<string>> {
    // A refusal to show a record holds nothing of it, and reads as one of an id that does not exist
    // (`asReadBy`): withheld, its `reason` would tell the auditor that the id is one of a RED request's.
    const about = rows.filter(
      (r) =>
        ['request', 'attachment', 'asset_freeze_target'].includes(r.record_type!) &&
        !(
          r.action === 'access.denied' && (r.details as { reason?: unknown } | null)?.reason === 'not-visible'
        ),
    );
    if (!about.length) return new Set();
    const params: unknown[] = [
      about.map((r) => r.id),
      about.map((r) => r.record_type),
      about.map((r) => r.record_id),
    ];
    const readable = positional(requestScope(auditor, 'rr'), params);
    const arrestRead = positional(arrestScope(auditor, 'ra'), params);
    const personRead = positional(personScope(auditor, 'rp'), params);
    params.push(auditor.countryCode);
    const found: Array<{ id: string }> = await this.dataSource.query(
      `SELECT DISTINCT x.id::text AS id
         FROM unnest($1::bigint[], $2::text[], $3::text[]) AS x(id, record_type, record_id)
         CROSS JOIN LATERAL (SELECT CASE WHEN x.record_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                                         THEN x.record_id::uuid END AS uid) k
         JOIN LATERAL (SELECT CASE WHEN k.uid IS NULL THEN NULL
                           WHEN x.record_type = 'request' THEN k.uid
                           WHEN x.record_type = 'asset_freeze_target'
                             THEN (SELECT t.request_id FROM asset_freeze_target t WHERE t.id = k.uid)
                           ELSE (SELECT ${attachmentRequestId('a')} FROM attachment a WHERE a.id = k.uid)
                      END AS request_id
                       UNION ALL
                       SELECT rap.request_id FROM attachment a
                         JOIN repatriation_person rap ON rap.arrest_id = a.arrest_id
                        WHERE x.record_type = 'attachment' AND a.id = k.uid
                          AND NOT EXISTS (SELECT 1 FROM arrest ra WHERE ra.id = a.arrest_id AND ${arrestRead})
                       UNION ALL
                       SELECT rqp.request_id FROM attachment a
                         JOIN request_person rqp ON rqp.person_id = a.person_id
                        WHERE x.record_type = 'attachment' AND a.id = k.uid
                          AND NOT EXISTS (SELECT 1 FROM person rp WHERE rp.id = a.person_id AND ${personRead})) q ON true
         JOIN cross_border_request rr ON rr.id = q.request_id
        WHERE rr.handling_code = 'RED' AND rr.target_country = $${params.length}
          AND NOT ${readable}`,
      params,
    );
    return new Set(found.map((f) => f.id));
  }

  private async page(
    auditor: Actor,
    rows: AuditEventRow[],
    limit: number,
    country: string,
  ): Promise<Page<AuditEventResponse>> {
    const items = rows.slice(0, limit);
    const red = await this.redWithheld(auditor, items);
    return {
      items: items.map((row) =>
        toAuditEventResponse(asReadBy(row, country, red.has(row.id)), this.ids.nameOf(row.id)),
      ),
      nextCursor: rows.length > limit ? this.ids.cursorAfter(items[items.length - 1].id) : null,
    };
  }
}
