import { AccessService } from '../access/access.service';
import { Injectable } from '@nestjs/common';
import { countriesCooperate, positional, screeningAlertScope, screeningScope } from '../access/scopes';
import { AuditService } from '../audit/audit.service';
import { queryKeys } from './entry-keys';
import { ConflictError, ValidationFailedError } from '../common/errors/domain-errors';
import { EntryNotInForceError } from './screening-errors';
import { actorOf, RequestContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { birthDateProblems } from '../common/time/plausible-dates';
import { DomainEventBus } from '../common/events/domain-event-bus';
import { AppConfig } from '../config/app-config.service';
import { returningRows } from '../database/returning';
import { clearedBefore, ScreeningsStore } from './screenings.store';
import { TransactionService } from '../database/transaction.service';
import { decodeCursor, Page, pageLimit, PageQueryDto, toPage } from '../common/pagination/page';
import { normaliseDocumentNumber, rankCandidates, ScreeningQuery } from './matching';
import { ScreeningAlertRaised } from './screening-events';
import { CandidatePool } from './candidate-pool';
import { byScoreThenId, candidateViewOfMatch, candidateViewOfRow, keptScore } from './screening-views';
import type {
  AlertView,
  CandidateDecisionDto,
  ListScreeningsQueryDto,
  RunScreeningDto,
  ScreeningSummaryView,
  ScreeningView,
} from './dto/screening.dto';

/**
 * Border screening: a checkpoint's query against the entries active in the screener's country, ranked
 * by the matching engine. Every screening and its candidates are kept; decisions are audited, and a
 * confirmed hit alerts the banning and the proposing country.
 */
@Injectable()
export class ScreeningService {
  constructor(
    private readonly tx: TransactionService,
    private readonly access: AccessService,
    private readonly pool: CandidatePool,
    private readonly audit: AuditService,
    private readonly events: DomainEventBus,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Retrieval and scoring read only, outside any transaction; then the screening, the candidates the
   * screener is shown, its audit event and what was cleared before for the same document are one
   * statement (`ScreeningsStore.keep`): two round trips in all, and a request that fails before the
   * write writes nothing. With an `Idempotency-Key` everything joins the claim's transaction.
   */
  async run(ctx: RequestContext, dto: RunScreeningDto): Promise<ScreeningView> {
    const actor = actorOf(ctx);
    const implausible = birthDateProblems('birthDate', dto.birthDate, this.clock.now());
    if (implausible.length) throw new ValidationFailedError(implausible);
    const query = toEngineQuery(dto);
    const documentKey = dto.document ? normaliseDocumentNumber(dto.document.number) : null;
    const keys = queryKeys(query.names, dto.document?.number, query.dateOfBirth);
    const candidates = await this.pool.activeCandidates(actor.countryCode!, keys, query.names);
    const matches = rankCandidates(query, candidates, {
      threshold: this.config.get('SCREENING_THRESHOLD'),
      reviewThreshold: this.config.get('SCREENING_REVIEW_THRESHOLD'),
    });
    const kept = await new ScreeningsStore(this.tx.manager).keep(ctx, {
      countryCode: actor.countryCode!,
      screenerId: actor.userId!,
      checkpoint: dto.checkpoint,
      query: dto,
      documentKey,
      queryKeys: keys,
      candidates: matches.map((m) => ({
        entryId: m.candidate.id,
        score: keptScore(m.score),
        queryName: m.matchedNames?.query ?? '',
        entryName: m.matchedNames?.entry.full ?? '',
        reasons: m.reasons,
      })),
      audit: {
        action: 'screening.run',
        recordType: 'screening',
        ownerCountry: actor.countryCode,
        details: {
          checkpoint: dto.checkpoint,
          candidates: matches.length,
          entries: matches.map((m) => m.candidate.id),
          alerts: matches.filter((m) => m.band === 'alert').length,
        },
      },
    });
    const cleared = new Set(kept.cleared);
    return {
      id: kept.id,
      checkpoint: dto.checkpoint,
      countryCode: actor.countryCode!,
      createdAt: new Date(kept.created_at).toISOString(),
      candidates: matches
        .map((m) => candidateViewOfMatch(m, kept.candidates[m.candidate.id]!, cleared.has(m.candidate.id)))
        .sort(byScoreThenId),
    };
  }

  /**
   * One screening consulted (`GET /screenings/:id`): its candidates show wanted persons' names, so the
   * read is `screening.read` in the reader's country's trail (the screening's own: `screeningScope`
   * shows no other), with the candidates and entries shown; a screener's look counts as any other's.
   * The proposing countries of the entries shown are not told: which of their wanted persons a
   * checkpoint looked at is the banning country's lead (as a cleared candidate is).
   */
  read(ctx: RequestContext, id: string): Promise<ScreeningView> {
    const actor = actorOf(ctx);
    return this.audit.recordRead(
      ctx,
      () => this.view(ctx, id),
      (view) => ({
        action: 'screening.read',
        recordType: 'screening',
        recordId: id,
        ownerCountry: actor.countryCode,
        details: {
          candidates: view.candidates.map((c) => c.id),
          entries: view.candidates.map((c) => c.entry.entryId),
        },
      }),
    );
  }

  /**
   * One screening, with its candidates: for its country's screeners, officers and liaisons, and its
   * auditors, who read it as they do (`screeningScope`). Another country's answers as an unknown id.
   * The answer to a decision too, which its own event records (`read` records a consultation).
   */
  async view(ctx: RequestContext, id: string): Promise<ScreeningView> {
    const actor = actorOf(ctx);
    const params: unknown[] = [id];
    const readable = positional(screeningScope(actor, 's'), params);
    const [s] = await this.tx.manager.query(
      `SELECT s.id, s.checkpoint, s.country_code, s.document_key, s.created_at FROM screening s
        WHERE s.id = $1 AND ${readable}`,
      params,
    );
    if (!s) return this.access.notFound(ctx, { recordType: 'screening', recordId: id }, 'The screening');
    const rows = await this.tx.manager.query(
      `SELECT c.id, c.score, c.matched_query_name, c.matched_entry_name, c.reasons, c.found_by, c.decision,
              e.id AS entry_id, e.grounds_summary, e.proposing_country, e.identity_names AS names,
              e.identity_birth_date AS birth_date, e.identity_nationalities AS nationalities,
              EXISTS (SELECT 1 FROM screening_candidate pc
                       WHERE $2::text IS NOT NULL AND pc.entry_id = c.entry_id
                         AND ${clearedBefore('pc', '$3', '$2', '$4', 'c.entry_identity_at')}) AS previously_cleared
         FROM screening_candidate c JOIN blacklist_entry e ON e.id = c.entry_id
        WHERE c.screening_id = $1 ORDER BY c.score DESC, c.id`,
      [id, s.document_key, s.country_code, s.created_at],
    );
    return {
      id: s.id,
      checkpoint: s.checkpoint,
      countryCode: s.country_code,
      createdAt: new Date(s.created_at).toISOString(),
      candidates: rows.map((row: Record<string, unknown>) =>
        candidateViewOfRow(row, this.config.get('SCREENING_THRESHOLD')),
      ),
    };
  }

  decide(
    ctx: RequestContext,
    screeningId: string,
    candidateId: string,
    dto: CandidateDecisionDto,
  ): Promise<ScreeningView> {
    const actor = actorOf(ctx);
    if (dto.decision === 'cleared' && !dto.reason)
      throw new ValidationFailedError([
        { field: 'reason', message: 'reason is required when clearing a candidate' },
      ]);
    return this.tx.run(async () => {
      const params: unknown[] = [candidateId, screeningId, this.clock.today()];
      const readable = positional(screeningScope(actor, 's'), params);
      const [c] = await this.tx.manager.query(
        `SELECT c.id, c.decision, c.score, e.id AS entry_id, e.banning_country, e.proposing_country, s.checkpoint,
                e.status AS entry_status,
                e.status = 'active' AND (e.expires_on IS NULL OR e.expires_on >= $3::date) AS in_force
           FROM screening_candidate c JOIN screening s ON s.id = c.screening_id JOIN blacklist_entry e ON e.id = c.entry_id
          WHERE c.id = $1 AND c.screening_id = $2 AND ${readable}
            FOR SHARE OF e`,
        params,
      );
      if (!c)
        return this.access.notFound(ctx, { recordType: 'screening', recordId: screeningId }, 'The candidate');
      // A ban lifted or expired since the screening leaves no hit to act on, and is no longer the proposing
      // country's lead at this checkpoint (the re-screening job alerts nobody for it either). Clearing
      // stays open, so the candidate can still be closed.
      if (dto.decision === 'confirmed' && !c.in_force) throw new EntryNotInForceError(c.entry_status);
      const updated = await returningRows(
        this.tx.manager,
        `UPDATE screening_candidate SET decision = $2, decision_reason = $3, decided_by = $4, decided_at = now() WHERE id = $1 AND decision IS NULL RETURNING id`,
        [candidateId, dto.decision, dto.reason ?? null, actor.userId],
      );
      if (!updated.length) throw new ConflictError(`The candidate was already ${c.decision}.`);
      const alert =
        dto.decision === 'confirmed' ? await this.raiseAlert(candidateId, 'confirmed_hit', c) : null;
      await this.audit.record(ctx, {
        action: `screening.candidate.${dto.decision}`,
        recordType: 'screening',
        recordId: screeningId,
        ownerCountry: c.banning_country,
        // A confirmed hit concerns the proposing country while a framework joins the two (it is
        // alerted); a cleared candidate is a traveller of the banning country's checkpoint that matched
        // nobody, and its reason stays there.
        counterpartCountry: alert?.proposerTold ? c.proposing_country : null,
        after: { candidateId, entryId: c.entry_id, decision: dto.decision },
        // The screener's reason is the checkpoint's note: a comment, which the proposing country's
        // auditors do not read (the alert it receives carries none), so a number in it is not passed on
        // (probe r8).
        details: { comment: dto.reason ?? null },
      });
      return this.view(ctx, screeningId);
    });
  }

  /**
   * Records the alert and tells who should hear of it (`ScreeningAlertRaised`); runs in the caller's
   * transaction. The one place alerts are raised: a confirmed hit is told to the proposing country only
   * while a framework joins it to the banning country (`proposer_told_at`, which `screeningAlertScope`
   * lists by); once told, it stays told.
   */
  async raiseAlert(
    candidateId: string,
    kind: 'confirmed_hit' | 'rescreen_match',
    c: { entry_id: string; banning_country: string; proposing_country: string; checkpoint: string },
  ): Promise<{ proposerTold: boolean }> {
    const [alert]: Array<{ id: string; proposer_told: boolean }> = await this.tx.manager.query(
      `INSERT INTO screening_alert (candidate_id, kind, banning_country, proposing_country, proposer_told_at)
       VALUES ($1, $2, $3, $4, CASE WHEN $2 = 'confirmed_hit'
                                     AND ${countriesCooperate('$3::char(2)', '$4::char(2)')} THEN now() END)
       ON CONFLICT (candidate_id) DO UPDATE
         SET kind = EXCLUDED.kind,
             proposer_told_at = coalesce(screening_alert.proposer_told_at, EXCLUDED.proposer_told_at)
       RETURNING id, proposer_told_at IS NOT NULL AS proposer_told`,
      [candidateId, kind, c.banning_country, c.proposing_country],
    );
    await this.events.publish(
      new ScreeningAlertRaised(
        alert.id,
        kind,
        c.entry_id,
        c.checkpoint,
        c.banning_country,
        c.proposing_country,
        alert!.proposer_told,
      ),
    );
    return { proposerTold: alert!.proposer_told };
  }

  /**
   * The screenings of the caller's country (`screeningScope`), newest first, a page at a time, with
   * their candidates counted; `undecided` finds those a screener still has to decide (the next shift's
   * work, without knowing their ids). A read that writes nothing: a page shows counts, no candidate and
   * no name (`GET /screenings/:id` shows those, and is recorded), and checkpoints poll it all day.
   */
  async list(ctx: RequestContext, query: ListScreeningsQueryDto): Promise<Page<ScreeningSummaryView>> {
    const actor = actorOf(ctx);
    const limit = pageLimit(query);
    const rows = await new ScreeningsStore(this.tx.manager).page(
      screeningScope(actor, 's'),
      { undecided: query.undecided, checkpoint: query.checkpoint, from: query.from, to: query.to },
      decodeCursor(query.cursor),
      limit,
      this.config.get('SCREENING_THRESHOLD'),
    );
    return toPage(
      rows,
      limit,
      (r) => ({ at: new Date(r.created_at).toISOString(), id: r.id }),
      (r) => ({
        id: r.id,
        checkpoint: r.checkpoint,
        countryCode: r.country_code,
        createdAt: new Date(r.created_at).toISOString(),
        candidates: r.candidates,
        undecided: r.undecided,
        undecidedAlerts: r.undecided_alerts,
      }),
    );
  }

  /**
   * The alerts the caller's country may read, newest first, a page at a time: a busy checkpoint country
   * has more than one page, and an older alert must stay reachable.
   */
  async alerts(ctx: RequestContext, query: PageQueryDto): Promise<Page<AlertView>> {
    const actor = actorOf(ctx);
    const params: unknown[] = [];
    const readable = positional(screeningAlertScope(actor, 'a'), params);
    // An alert dates, for the banning country, from when it was raised; for the proposing country,
    // from when it was told (a confirmed hit that began as a re-screening match was raised earlier,
    // and that time, the banning country's, would tell how the hit was found and how long it was held).
    const at = `(CASE WHEN a.banning_country = $${params.push(actor.countryCode)}::char(2) THEN a.created_at
                      ELSE a.proposer_told_at END)`;
    const limit = pageLimit(query);
    const after = decodeCursor(query.cursor);
    const before = after
      ? `AND (${at}, a.id) < ($${params.push(after.at)}::timestamptz, $${params.push(after.id)}::uuid)`
      : '';
    const rows: Array<Record<string, unknown>> = await this.tx.manager.query(
      `SELECT a.id, a.kind, a.banning_country, a.proposing_country, ${at} AS created_at, c.id AS candidate_id, c.entry_id, c.score, s.id AS screening_id, s.checkpoint
         FROM screening_alert a JOIN screening_candidate c ON c.id = a.candidate_id JOIN screening s ON s.id = c.screening_id
        WHERE ${readable} ${before}
        ORDER BY ${at} DESC, a.id DESC LIMIT $${params.push(limit + 1)}`,
      params,
    );
    return toPage(
      rows,
      limit,
      (r) => ({ at: new Date(r.created_at as string).toISOString(), id: r.id as string }),
      (r) =>
        ({
          id: r.id,
          kind: r.kind,
          screeningId: r.screening_id,
          candidateId: r.candidate_id,
          entryId: r.entry_id,
          checkpoint: r.checkpoint,
          banningCountry: r.banning_country,
          proposingCountry: r.proposing_country,
          score: Number(r.score),
          createdAt: new Date(r.created_at as string).toISOString(),
        }) as AlertView,
    );
  }
}

export function toEngineQuery(
  dto: RunScreeningDto,
): ScreeningQuery & { names: Array<{ full?: string; given?: string; family?: string }> } {
  return {
    names: dto.names.map((n) => ({ full: n.full, given: n.given, family: n.family })),
    dateOfBirth: dto.birthDate ?? null,
    nationality: dto.nationality ?? null,
    sex: dto.sex ?? null,
    document: dto.document
      ? { number: dto.document.number, issuingCountry: dto.document.issuingCountry ?? null }
      : null,
  };
}
