import { Injectable } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import {
  arrestLinksReadable,
  arrestReceivedScope,
  arrestReachedAt,
  arrestScope,
  arrestSeenSince,
  cooperationResumed,
  countriesToldBy,
  notToldTo,
  positional,
  requestScope,
} from '../access/scopes';
import { AuditService } from '../audit/audit.service';
import { ConflictError, ValidationFailedError } from '../common/errors/domain-errors';
import { decodeCursor, Page, pageLimit, toPage } from '../common/pagination/page';
import { Actor, actorOf, RequestContext } from '../common/request-context';
import { queryPrepared } from '../database/sql-parts';
import { TransactionService } from '../database/transaction.service';
import { KeptCopiesStore } from '../persons/kept-copies.store';
import { ReleaseService } from '../sharing/release.service';
import { RedConsultations, WITHHELD_RED } from '../access/red-consultations';
import { IdentifierReleaseService } from '../sharing/identifier-release.service';
import { ArrestRecorder } from './arrest-recorder.service';
import {
  ARREST_SELECT,
  ArrestRow,
  CustodyHistoryRow,
  ReadableLinks,
  toArrestView,
  toCustodyHistoryView,
} from './arrest-view';
import type {
  ArrestBatchDto,
  ArrestBatchResultView,
  ArrestView,
  ChangeCustodyDto,
  CreateArrestDto,
  CustodyHistoryEntryView,
  CustodyStatus,
  ListArrestsQueryDto,
  ShareArrestDto,
} from './dto/arrest.dto';

/**
 * The arrests list's page as SQL with named parameters: `ARREST_SELECT` and the `createdAt` the caller
 * reads (`seen_at`), newest first, `limit + 1` rows. Listed, and paged, by that time: for another
 * country's arrest, when it reached the caller's country (`arrestSeenSince`), never when (or in which
 * order) the arresting country recorded it. Each side is its own branch: the caller's country's own
 * arrests by `created_at`, which `arrest_country` serves in order (a page reads about `limit` of them,
 * however many the country holds); the arrests received (`arrestReceivedScope`) with their computed
 * time. Both limited, merged, limited; the page's rows then joined with their persons and shares.
 * Exported for the scaling benchmark, which EXPLAINs it.
 */
export function arrestPageSql(
  actor: Actor,
  query: ListArrestsQueryDto,
  limit: number,
): { sql: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = { me: actor.countryCode, pageRows: limit + 1 };
  const filters: string[] = [];
  const filter = (sql: string, values: Record<string, unknown>) => {
    filters.push(sql);
    Object.assign(params, values);
  };
  if (query.raidId) filter('a.raid_id = :raidId', { raidId: query.raidId });
  if (query.nationality) filter('a.nationality = :nationality', { nationality: query.nationality });
  if (query.custodyStatus) filter('a.custody_status = :custody', { custody: query.custodyStatus });
  if (query.personId) filter('a.person_id = :personId', { personId: query.personId });
  if (query.arrestingCountry) filter('a.arresting_country = :ac', { ac: query.arrestingCountry });
  if (query.caseId) filter('a.case_id = :caseId AND a.arresting_country = :me', { caseId: query.caseId });
  const after = decodeCursor(query.cursor);
  if (after) Object.assign(params, { at: after.at, id: after.id });
  const received = arrestReceivedScope(actor, 'a');
  const since = arrestSeenSince(actor, 'a');
  Object.assign(params, received.params, since.params);
  const branch = (side: string, listedAt: string) => {
    const where = [side, ...filters];
    if (after) where.push(`(${listedAt}, a.id) < (:at::timestamptz, :id::uuid)`);
    return `(SELECT a.id, ${listedAt} AS seen_at FROM arrest a
              WHERE ${where.join(' AND ')}
              ORDER BY ${listedAt} DESC, a.id DESC LIMIT :pageRows)`;
  };
  // Without a country the caller sees no arrest (`arrestScope`): both branches are empty.
  const own = actor.countryCode ? branch('a.arresting_country = :me', 'a.created_at') : null;
  const sql = `SELECT ${ARREST_SELECT}, page.seen_at
      FROM (${[own, branch(received.sql, since.sql)].filter(Boolean).join(`
            UNION ALL `)}) page
      JOIN arrest a ON a.id = page.id
      JOIN person p ON p.id = a.person_id
     ORDER BY page.seen_at DESC, page.id DESC LIMIT :pageRows`;
  return { sql, params };
}

/** Custody statuses nothing leads out of. */
const FINAL_CUSTODY: readonly CustodyStatus[] = ['repatriated', 'deceased'];

/** Arrests: recorded by the arresting country, one at a time or a raid at once; custody and sharing. */
@Injectable()
export class ArrestsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly recorder: ArrestRecorder,
    private readonly release: ReleaseService,
    private readonly identifierRelease: IdentifierReleaseService,
  ) {}

  create(ctx: RequestContext, dto: CreateArrestDto): Promise<ArrestView> {
    return this.tx.run(async () => {
      const batch = await this.recorder.begin(ctx, false);
      const id = await batch.single(dto);
      return this.view(actorOf(ctx), await this.row(id));
    });
  }

  /** One raid, all or nothing; every bad row is reported as `{ row, field, message }`. */
  batch(
    ctx: RequestContext,
    dto: ArrestBatchDto,
    options: { allowDuplicates: boolean },
  ): Promise<ArrestBatchResultView> {
    return this.tx.run(async () => {
      const batch = await this.recorder.begin(ctx, true, undefined, options);
      for (const [i, plain] of dto.arrests.entries()) await batch.add(i + 1, plain);
      return batch.finish();
    });
  }

  /**
   * One arrest, with its person, consulted: `arrest.read` in the reader's country's trail (as
   * `person.read` is, and for the same reason: not in the arresting country's).
   */
  get(ctx: RequestContext, id: string): Promise<ArrestView> {
    const actor = actorOf(ctx);
    return this.audit.recordRead(
      ctx,
      async () => this.view(actor, await this.findVisible(ctx, id)),
      async (view) => {
        // Its person held for a RED request's named recipients only: not named (`RedConsultations`).
        const [personId] = await new RedConsultations(this.tx.manager).named(
          [view.person.id],
          actor.countryCode,
        );
        return {
          action: 'arrest.read',
          recordType: 'arrest',
          recordId: id,
          ownerCountry: actor.countryCode,
          details: { arrestingCountry: view.arrestingCountry, personId },
        };
      },
    );
  }

  /** A page of arrests, consulted: `arrest.list` in the reader's country's trail, with its filters and the ids shown. */
  list(ctx: RequestContext, query: ListArrestsQueryDto): Promise<Page<ArrestView>> {
    const actor = actorOf(ctx);
    const { limit: _limit, cursor, ...filters } = query;
    return this.audit.recordRead(
      ctx,
      () => this.listPage(actor, query),
      async (page) => ({
        action: 'arrest.list',
        recordType: 'arrest',
        ownerCountry: actor.countryCode,
        details: {
          filters: await this.filtersNamed(filters, actor),
          cursor: cursor ?? null,
          shown: page.items.map((a) => a.id),
        },
      }),
    );
  }

  /**
   * An arrest list's filters as its event names them: a `personId` the reader's country holds for a RED
   * request's named recipients only is not named to its auditors (`RedConsultations`, probe r41), as
   * the arrest's own read does not name it.
   */
  private async filtersNamed(filters: Omit<ListArrestsQueryDto, 'limit' | 'cursor'>, actor: Actor) {
    if (filters.personId === undefined) return { ...filters };
    // (In lower case already, as the database writes ids: the query's `IsUUID` lowers it.)
    const withheld = await new RedConsultations(this.tx.manager).withheld(
      [filters.personId],
      actor.countryCode,
    );
    return { ...filters, personId: withheld.size ? WITHHELD_RED : filters.personId };
  }

  private async listPage(actor: Actor, query: ListArrestsQueryDto): Promise<Page<ArrestView>> {
    const limit = pageLimit(query);
    const { sql, params } = arrestPageSql(actor, query, limit);
    const [text, values] = this.tx.manager.connection.driver.escapeQueryWithParameters(sql, params);
    const rows: Array<ArrestRow & { seen_at: Date }> = await this.tx.manager.query(text, values);
    const page = toPage(
      rows,
      limit,
      (a) => ({ at: new Date(a.seen_at).toISOString(), id: a.id }),
      (a) => a,
    );
    return { items: await this.views(actor, page.items), nextCursor: page.nextCursor };
  }

  /** The arresting country's officer changes the custody status; each change is kept and audited. */
  changeCustody(ctx: RequestContext, id: string, dto: ChangeCustodyDto): Promise<ArrestView> {
    const actor = actorOf(ctx);
    return this.tx.run(async () => {
      const arrest = await this.findVisible(ctx, id);
      await this.requireArrestingCountry(ctx, arrest, 'change the custody status of');
      if (FINAL_CUSTODY.includes(arrest.custody_status))
        throw new ConflictError(`The custody status is '${arrest.custody_status}' and can no longer change.`);
      // The person is with the receiving side's police from the recorded handover on: its confirmation,
      // not a status set here, ends the custody (a release in between left the handover unconfirmable).
      const [handedOver] = await this.tx.manager.query(
        `SELECT 1 FROM repatriation_person rp
          WHERE rp.arrest_id = $1 AND rp.handover_recorded_at IS NOT NULL
            AND rp.handover_confirmed_at IS NULL AND rp.drop_reason IS NULL`,
        [id],
      );
      if (handedOver)
        throw new ConflictError(
          'A handover of this person is recorded and awaits the receiving side’s confirmation; the custody status changes with it.',
        );
      if (arrest.custody_status === dto.status)
        throw new ValidationFailedError([
          { field: 'status', message: `the custody status is already '${dto.status}'` },
        ]);
      // The reason is read by every country the arrest is shared with or repatriated to.
      await this.identifierRelease.releaseArrestText(ctx, id, [['reason', dto.reason]]);
      // An UPDATE answers [rows, affected count].
      const [, affected]: [unknown[], number] = await this.tx.manager.query(
        `UPDATE arrest SET custody_status = $1, version = version + 1, updated_at = now()
          WHERE id = $2 AND version = $3`,
        [dto.status, id, dto.version],
      );
      if (affected !== 1)
        throw new ConflictError(`The arrest changed since version ${dto.version}; reload and try again.`);
      await this.writeCustody(actor, [id], arrest.custody_status, dto.status, dto.reason ?? null, null);
      await this.audit.record(ctx, {
        action: 'arrest.custody.change',
        recordType: 'arrest',
        recordId: id,
        ownerCountry: arrest.arresting_country,
        before: { custodyStatus: arrest.custody_status },
        after: { custodyStatus: dto.status },
        details: { reason: dto.reason ?? null },
      });
      return this.view(actor, await this.row(id));
    });
  }

  async custodyHistory(ctx: RequestContext, id: string): Promise<CustodyHistoryEntryView[]> {
    await this.findVisible(ctx, id);
    const actor = actorOf(ctx);
    const params: unknown[] = [id];
    const readable = positional(requestScope(actor, 'r'), params);
    const seen = positional(arrestSeenSince(actor, 'a'), params);
    const reached = positional(arrestReachedAt(actor, 'a', 'h.at'), params);
    const reader = `$${params.push(actor.countryCode)}::char(2)`;
    const gap = stepNotTold('h', 'a', reader);
    const at = `CASE WHEN ${gap} THEN GREATEST(w.at, ${cooperationResumed('a.arresting_country', reader)}) ELSE w.at END`;
    // A step taken under a request the reader may not read (a RED repatriation, seen by a country the
    // arrest was shared with) shows the status only: not the request, who took it or why. Another
    // country reads the steps from when the arrest reached it (`arrestSeenSince`): how the arresting
    // country recorded it and changed its custody before is its own (the status it reached them in is
    // the arrest's `custodyStatus`). A step taken while no framework joined the arresting country to the
    // reader was not given to it: read as of when cooperation resumed, with the status only. Nor was one
    // taken while the reader could not read the arrest (a repatriation request withdrawn, before a new
    // one was sent): read as of when the arrest reached it again, with the status only (`arrestReachedAt`).
    const rows = await queryPrepared<CustodyHistoryRow>(
      this.tx.manager,
      `SELECT h.from_status, h.to_status, v.at,
              CASE WHEN hidden THEN NULL ELSE h.reason END AS reason,
              CASE WHEN hidden THEN NULL ELSE h.request_id END AS request_id,
              CASE WHEN hidden THEN NULL ELSE h.actor_username END AS actor_username,
              CASE WHEN hidden THEN NULL ELSE h.actor_country END AS actor_country
         FROM arrest_custody_history h JOIN arrest a ON a.id = h.arrest_id,
              LATERAL (SELECT ${reached} AS at) w,
              LATERAL (SELECT ${at} AS at, ${gap} OR w.at <> h.at OR (h.request_id IS NOT NULL AND NOT EXISTS (
                         SELECT 1 FROM cross_border_request r WHERE r.id = h.request_id AND ${readable})) AS hidden) v
        WHERE h.arrest_id = $1 AND v.at >= ${seen} ORDER BY h.id`,
      params,
    );
    return rows.map(toCustodyHistoryView);
  }

  /** The arresting country's liaison shares an arrest with another country (read-only). */
  share(ctx: RequestContext, id: string, dto: ShareArrestDto): Promise<ArrestView> {
    const actor = actorOf(ctx);
    return this.tx.run(async () => {
      const arrest = await this.findVisible(ctx, id);
      await this.requireArrestingCountry(ctx, arrest, 'share');
      if (dto.countryCode === actor.countryCode)
        throw new ValidationFailedError([
          { field: 'countryCode', message: 'countryCode must be another country' },
        ]);
      const [country] = await this.tx.manager.query(`SELECT 1 FROM country WHERE code = $1`, [
        dto.countryCode,
      ]);
      if (!country)
        throw new ValidationFailedError([
          { field: 'countryCode', message: 'countryCode is not a known country' },
        ]);
      const handlingCode = dto.handlingCode ?? 'AMBER';
      // Two shares of one arrest wait for each other, and the second finds the first before anything of
      // the arrest is released again: a share under a looser code would otherwise leave the country
      // holding the person under both codes, and the looser one let it pass the person on (probe race 2).
      await this.release.lockArrest(id);
      const [shared]: Array<{ handling_code: string }> = await this.tx.manager.query(
        `SELECT handling_code FROM arrest_share WHERE arrest_id = $1 AND country_code = $2`,
        [id, dto.countryCode],
      );
      if (shared && shared.handling_code !== handlingCode)
        throw new ConflictError(
          `The arrest is already shared with ${dto.countryCode} under ${shared.handling_code}; a share's code does not change.`,
        );
      if (shared) return this.view(actor, await this.row(id));
      const inserted = await this.release.shareArrest(
        ctx,
        { id, personId: arrest.person_id },
        dto.countryCode,
        handlingCode,
      );
      if (inserted)
        await this.audit.record(ctx, {
          action: 'arrest.share',
          recordType: 'arrest',
          recordId: id,
          ownerCountry: arrest.arresting_country,
          counterpartCountry: dto.countryCode,
          after: { handlingCode },
        });
      return this.view(actor, await this.row(id));
    });
  }

  async findVisible(ctx: RequestContext, id: string): Promise<ArrestRow> {
    const scope = arrestScope(actorOf(ctx));
    const found = await this.tx.manager
      .createQueryBuilder()
      .select(ARREST_SELECT)
      .from('arrest', 'a')
      .innerJoin('person', 'p', 'p.id = a.person_id')
      .where('a.id = :id', { id })
      .andWhere(scope.sql, scope.params)
      .getRawOne<ArrestRow>();
    return found ?? this.access.notFound(ctx, { recordType: 'arrest', recordId: id }, 'The arrest');
  }

  /** Appends custody history for arrests that moved together (a change, a confirmed handover). */
  async writeCustody(
    actor: Actor,
    arrestIds: string[],
    from: CustodyStatus | null,
    to: CustodyStatus,
    reason: string | null,
    requestId: string | null,
  ): Promise<void> {
    // `told`: the countries cooperating with the arresting country now; a partner not among them reads
    // the step as of when cooperation resumed (`custodyHistory`, `stepNotTold`).
    await this.tx.manager.query(
      `INSERT INTO arrest_custody_history (arrest_id, from_status, to_status, reason, request_id, actor_user_id, actor_username, actor_country, told)
       SELECT a.id, $2, $3, $4, $5, $6, $7, $8, ${countriesToldBy('a.arresting_country')}
         FROM arrest a WHERE a.id = ANY($1::uuid[]) ORDER BY a.id`,
      [arrestIds, from, to, reason, requestId, actor.userId, actor.username, actor.countryCode],
    );
  }

  /** A visible arrest that only its arresting country may change: 403 (audited) for any other. */
  async requireArrestingCountry(ctx: RequestContext, arrest: ArrestRow, what: string): Promise<void> {
    if (arrest.arresting_country !== actorOf(ctx).countryCode)
      await this.access.forbidden(
        ctx,
        { recordType: 'arrest', recordId: arrest.id, ownerCountry: arrest.arresting_country },
        `Only the arresting country may ${what} this arrest.`,
      );
  }

  /** The arrest as `actor`'s country reads it now, by the id of one found visible (`findVisible`). */
  async current(actor: Actor, id: string): Promise<ArrestView> {
    return this.view(actor, await this.row(id));
  }

  /** The arrest's row as stored, by the id of one found visible (`findVisible`). */
  async row(id: string): Promise<ArrestRow> {
    const [row] = await queryPrepared<ArrestRow>(
      this.tx.manager,
      `SELECT ${ARREST_SELECT} FROM arrest a JOIN person p ON p.id = a.person_id WHERE a.id = $1`,
      [id],
    );
    return row!;
  }

  private async view(actor: Actor, row: ArrestRow): Promise<ArrestView> {
    return (await this.views(actor, [row]))[0];
  }

  /**
   * Arrests as the reader's country sees them: their person from its kept copy where it keeps one, and
   * the screening hit, blacklist entry and proposal they name only where the reader may read those.
   */
  private async views(actor: Actor, rows: ArrestRow[]): Promise<ArrestView[]> {
    const kept = await new KeptCopiesStore(this.tx.manager).of(
      rows.map((r) => r.person_id),
      actor.countryCode,
      actor,
    );
    const readable = await this.readableLinks(actor, rows);
    const seen = await this.seenSince(actor, rows);
    return rows.map((r) =>
      toArrestView(
        actor,
        r,
        kept.get(r.person_id),
        readable.get(r.id),
        seen.get(r.id)?.seen,
        seen.get(r.id)?.lastChange,
      ),
    );
  }

  /**
   * Since when the reader's country reads each arrest of another country (`arrestSeenSince`), and its
   * last change as that country reads it: no earlier than cooperation resumed when a custody step was
   * taken, or a correction made, while no framework joined the two (`stepNotTold`), nor than the arrest reached it again when
   * the change was made while it could not read the arrest (`arrestReachedAt`).
   */
  private async seenSince(
    actor: Actor,
    rows: ArrestRow[],
  ): Promise<Map<string, { seen: Date; lastChange: Date }>> {
    const others = [
      ...new Set(rows.filter((r) => r.arresting_country !== actor.countryCode).map((r) => r.id)),
    ];
    const seen = new Map<string, { seen: Date; lastChange: Date }>();
    if (!others.length) return seen;
    const params: unknown[] = [others];
    const since = positional(arrestSeenSince(actor, 'a'), params);
    const reached = positional(arrestReachedAt(actor, 'a', 'x.at'), params);
    const reader = `$${params.push(actor.countryCode)}::char(2)`;
    // A correction is a change as a custody step is: one made while no framework joined the two was not
    // given to the reader then (`arrest_correction.told`).
    const untold = `(EXISTS (SELECT 1 FROM arrest_custody_history h
                              WHERE h.arrest_id = a.id AND ${stepNotTold('h', 'a', reader)})
                     OR EXISTS (SELECT 1 FROM arrest_correction c
                                 WHERE c.arrest_id = a.id AND ${stepNotTold('c', 'a', reader)}))`;
    const found: Array<{ id: string; seen: Date; last: Date }> = await this.tx.manager.query(
      `SELECT a.id::text AS id, ${since} AS seen, ${reached} AS last
         FROM arrest a,
              LATERAL (SELECT CASE WHEN ${untold} THEN GREATEST(a.updated_at, ${cooperationResumed('a.arresting_country', reader)})
                                   ELSE a.updated_at END AS at) x
        WHERE a.id = ANY($1::uuid[])`,
      params,
    );
    for (const r of found) seen.set(r.id, { seen: new Date(r.seen), lastChange: new Date(r.last) });
    return seen;
  }

  /** Which of the rows' links the reader may read (`arrestLinksReadable`), for the rows that have any. */
  private async readableLinks(actor: Actor, rows: ArrestRow[]): Promise<Map<string, ReadableLinks>> {
    const linked = rows
      .filter((r) => r.screening_hit_id || r.blacklist_entry_id || r.blacklist_request_id)
      .map((r) => r.id);
    if (!linked.length) return new Map();
    const params: unknown[] = [linked];
    const rules = arrestLinksReadable(actor, 'a');
    const found: Array<{ id: string } & ReadableLinks> = await this.tx.manager.query(
      `SELECT a.id::text, ${positional(rules.screeningHit, params)} AS "screeningHit",
              ${positional(rules.blacklistEntry, params)} AS "blacklistEntry",
              ${positional(rules.blacklistRequest, params)} AS "blacklistRequest"
         FROM arrest a WHERE a.id = ANY($1::uuid[])`,
      params,
    );
    return new Map(found.map(({ id, ...links }) => [id, links]));
  }
}

/**
 * SQL: the custody step (or correction) `h` of the arrest `a` was taken while no framework joined the
 * arresting country to `reader` (a country not in the step's `told`): that step was not given to the reader.
 */
function stepNotTold(h: string, a: string, reader: string): string {
  return `(${a}.arresting_country <> ${reader} AND ${notToldTo(`${h}.told`, reader)})`;
}
