import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { systemContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { AppConfig } from '../config/app-config.service';
import { TransactionService } from '../database/transaction.service';
import { JobsService } from '../jobs/jobs.service';
import { CandidatePool } from './candidate-pool';
import { rankCandidates } from './matching';
import type { RunScreeningDto } from './dto/screening.dto';
import { ScreeningService, toEngineQuery } from './screening.service';
import { keptScore } from './screening-views';
import { entryIdentityAt } from './screenings.store';

const JOB = 'screening-rescreen';
const ctx = systemContext('screening-rescreen');
/** Screenings scored per transaction: short transactions, and an activation never waits for them. */
export const RESCREEN_BATCH = 200;
/** Batches per run of the job, so one run ends; the next tick (or send) carries on. */
const MAX_BATCHES_PER_RUN = 500;

interface RescreenTask {
  id: string;
  entry_id: string;
  banning_country: string;
  proposing_country: string;
  screened_from: Date;
  screened_until: Date;
  after_created_at: Date | null;
  after_id: string | null;
}

/**
 * When an entry becomes active (or its identity changes by an accepted amendment), the country's
 * screenings of the last RESCREEN_DAYS days are matched against it: a traveller who passed the day
 * before the ban is found, and the liaisons are alerted. The activation only records the task; a
 * background job does the matching in batches, over the screenings whose stored search keys meet the
 * entry's (as a live screening would retrieve it), so the activation answers at once however many
 * screenings there are.
 */
@Injectable()
export class RescreeningService implements OnModuleInit {
  private readonly logger = new Logger('Rescreening');

  constructor(
    private readonly tx: TransactionService,
    private readonly pool: CandidatePool,
    private readonly screenings: ScreeningService,
    private readonly audit: AuditService,
    private readonly jobs: JobsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // Sent after each activation for promptness; the minute tick picks up a task whose send was lost
    // (a crash after commit, or a process running without jobs).
    this.jobs.define({ name: JOB, cron: '* * * * *', handler: async () => void (await this.runPending()) });
  }

  /**
   * Runs in the activation's transaction: records the task, queued once the activation commits. Takes
   * the entry's id and banning country only: the blacklist calls screening, never the other way.
   */
  async queue(
    entry: { id: string; banningCountry: string },
    reason: 'activation' | 'amendment',
  ): Promise<void> {
    const days = this.config.get('RESCREEN_DAYS');
    if (days === 0) return;
    // Up to the start of this transaction (the database's clock, the one screenings are stamped
    // with): a screening committed later was screened against the active entry itself.
    await this.tx.manager.query(
      `INSERT INTO screening_rescreen (entry_id, banning_country, reason, screened_from, screened_until)
       VALUES ($1, $2, $3, $4, now())`,
      [entry.id, entry.banningCountry, reason, new Date(this.clock.now().getTime() - days * 86400_000)],
    );
    this.tx.afterCommit(() => this.jobs.send(JOB, {}));
  }

  /** Works through the pending tasks, a batch per transaction. Returns how many past screenings now match. */
  async runPending(): Promise<number> {
    let found = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
      const outcome = await this.tx.run(() => this.nextBatch());
      if (!outcome) break;
      found += outcome.matches;
    }
    return found;
  }

  /** One batch of the oldest pending task, or null when none is pending. */
  private async nextBatch(): Promise<{ matches: number } | null> {
    const [task]: RescreenTask[] = await this.tx.manager.query(
      `SELECT r.id, r.entry_id, r.banning_country, e.proposing_country, r.screened_from, r.screened_until,
              r.after_created_at, r.after_id
         FROM screening_rescreen r JOIN blacklist_entry e ON e.id = r.entry_id
        WHERE r.status = 'pending' ORDER BY r.created_at, r.id LIMIT 1 FOR UPDATE OF r SKIP LOCKED`,
    );
    if (!task) return null;
    // Read now, not at activation: an entry lifted or expired since then alerts nobody.
    const candidate = await this.pool.activeEntry(task.banning_country, task.entry_id);
    const past: Array<{ id: string; query: RunScreeningDto; checkpoint: string; created_at: Date }> =
      candidate
        ? await this.tx.manager.query(
            `SELECT s.id, s.query, s.checkpoint, s.created_at FROM screening s
            WHERE s.country_code = $1 AND s.created_at >= $2 AND s.created_at < $3
              AND ($4::timestamptz IS NULL OR (s.created_at, s.id) > ($4::timestamptz, $5::uuid))
              AND (s.query_keys IS NULL OR s.query_keys && ARRAY(
                    SELECT k.key FROM blacklist_search_key k WHERE k.entry_id = $6))
            ORDER BY s.created_at, s.id LIMIT $7`,
            [
              task.banning_country,
              task.screened_from,
              task.screened_until,
              task.after_created_at,
              task.after_id,
              task.entry_id,
              RESCREEN_BATCH,
            ],
          )
        : [];
    const matched: string[] = [];
    for (const screening of past) {
      // Only the alert band raises a re-screening alert: the review band is for a screener at the desk.
      const threshold = this.config.get('SCREENING_THRESHOLD');
      const [match] = rankCandidates(toEngineQuery(screening.query), [candidate!], {
        threshold,
        reviewThreshold: threshold,
      });
      if (!match) continue;
      const [inserted] = await this.tx.manager.query(
        `INSERT INTO screening_candidate (screening_id, entry_id, score, matched_query_name, matched_entry_name, reasons, found_by,
                                          entry_identity_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'rescreen', ${entryIdentityAt('$2::uuid')})
         ON CONFLICT (screening_id, entry_id) DO NOTHING RETURNING id`,
        [
          screening.id,
          task.entry_id,
          keptScore(match.score),
          match.matchedNames?.query ?? '',
          match.matchedNames?.entry.full ?? '',
          match.reasons,
        ],
      );
      if (!inserted) continue;
      await this.screenings.raiseAlert(inserted.id, 'rescreen_match', {
        entry_id: task.entry_id,
        banning_country: task.banning_country,
        proposing_country: task.proposing_country,
        checkpoint: screening.checkpoint,
      });
      matched.push(screening.id);
    }
    const done = past.length < RESCREEN_BATCH;
    const last = past[past.length - 1];
    await this.tx.manager.query(
      `UPDATE screening_rescreen
          SET after_created_at = coalesce($2, after_created_at), after_id = coalesce($3, after_id),
              screenings_scored = screenings_scored + $4, matches = matches + $5,
              status = CASE WHEN $6 THEN 'done' ELSE 'pending' END, done_at = CASE WHEN $6 THEN now() END
        WHERE id = $1`,
      [task.id, last?.created_at ?? null, last?.id ?? null, past.length, matched.length, done],
    );
    await this.audit.record(ctx, {
      action: 'blacklist.entry.rescreen',
      recordType: 'blacklist_entry',
      recordId: task.entry_id,
      // The banning country's: which of its checkpoints' screenings matched is its lead until its screener
      // confirms a hit (only then is the proposing country told, by the confirmation's own event).
      ownerCountry: task.banning_country,
      counterpartCountry: null,
      details: { rescreenId: task.id, screeningsScored: past.length, matchedScreenings: matched, done },
    });
    if (matched.length) this.logger.log(`Re-screening ${task.id}: ${matched.length} past screening(s) match`);
    return { matches: matched.length };
  }
}
