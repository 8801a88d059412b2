import { Injectable } from '@nestjs/common';
import type { BlacklistEntry } from '../blacklist/blacklist-entry.entity';
import { Clock } from '../common/time/clock';
import { AppConfig } from '../config/app-config.service';
import { TransactionService } from '../database/transaction.service';
import { CandidatePool } from './candidate-pool';
import { rankCandidates } from './matching';
import type { RunScreeningDto } from './dto/screening.dto';
import { ScreeningService, toEngineQuery } from './screening.service';
import { keptScore } from './screening-views';

/**
 * When an entry becomes active, the country's screenings of the last RESCREEN_DAYS days are matched
 * against it: a traveller who passed the day before the ban is found, and the liaisons are alerted.
 */
@Injectable()
export class RescreeningService {
  constructor(
    private readonly tx: TransactionService,
    private readonly pool: CandidatePool,
    private readonly screenings: ScreeningService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Runs in the activation's transaction. Returns how many past screenings now match. */
  async matchNewEntry(entry: BlacklistEntry): Promise<number> {
    const days = this.config.get('RESCREEN_DAYS');
    if (days === 0) return 0;
    const since = new Date(this.clock.now().getTime() - days * 86400_000);
    const past: Array<{ id: string; query: RunScreeningDto; checkpoint: string }> =
      await this.tx.manager.query(
        `SELECT id, query, checkpoint FROM screening WHERE country_code = $1 AND created_at >= $2 ORDER BY created_at`,
        [entry.banningCountry, since],
      );
    // The new entry is the only candidate: it is read once, whatever the number of past screenings.
    const candidate = await this.pool.activeEntry(entry.banningCountry, entry.id);
    if (!candidate) return 0;
    let found = 0;
    for (const screening of past) {
      const query = toEngineQuery(screening.query);
      const [match] = rankCandidates(query, [candidate], {
        threshold: this.config.get('SCREENING_THRESHOLD'),
      });
      if (!match) continue;
      const [inserted] = await this.tx.manager.query(
        `INSERT INTO screening_candidate (screening_id, entry_id, score, matched_query_name, matched_entry_name, reasons, found_by)
         VALUES ($1, $2, $3, $4, $5, $6, 'rescreen') ON CONFLICT (screening_id, entry_id) DO NOTHING RETURNING id`,
        [
          screening.id,
          entry.id,
          keptScore(match.score),
          match.matchedNames?.query ?? '',
          match.matchedNames?.entry.full ?? '',
          match.reasons,
        ],
      );
      if (!inserted) continue;
      await this.screenings.raiseAlert(inserted.id, 'rescreen_match', {
        entry_id: entry.id,
        banning_country: entry.banningCountry,
        proposing_country: entry.proposingCountry,
        checkpoint: screening.checkpoint,
      });
      found += 1;
    }
    return found;
  }
}
