import { Injectable } from '@nestjs/common';
import { Clock } from '../common/time/clock';
import { TransactionService } from '../database/transaction.service';
import type { IdentityDocument, PersonName } from '../persons/person.entity';
import type { ScreeningCandidate } from './matching';

/** At most this many entries are scored per query: the keys already chose the likely ones. */
const MAX_CANDIDATES = 2000;

/**
 * Candidate retrieval in PostgreSQL: entries active (and unexpired) in one country that share at least
 * one search key with the query, most shared keys first. The cost follows the matches, not the list.
 */
@Injectable()
export class CandidatePool {
  constructor(
    private readonly tx: TransactionService,
    private readonly clock: Clock,
  ) {}

  async activeCandidates(
    country: string,
    keys: string[],
    onlyEntryId?: string,
  ): Promise<ScreeningCandidate[]> {
    if (!keys.length) return [];
    const today = this.clock.now().toISOString().slice(0, 10);
    const rows: Array<{
      id: string;
      names: PersonName[];
      birth_date: string | null;
      nationalities: string[];
      sex: string | null;
      documents: IdentityDocument[];
    }> = await this.tx.manager.query(
      `SELECT e.id, p.names, p.birth_date, p.nationalities, p.sex, p.documents
           FROM (SELECT k.entry_id, count(*) AS shared FROM blacklist_search_key k
                  WHERE k.banning_country = $1 AND k.key = ANY($2::text[]) AND ($5::uuid IS NULL OR k.entry_id = $5)
                  GROUP BY k.entry_id ORDER BY shared DESC LIMIT $4) hits
           JOIN blacklist_entry e ON e.id = hits.entry_id
           JOIN person p ON p.id = e.person_id
          WHERE e.status = 'active' AND e.expires_on >= $3::date`,
      [country, keys, today, MAX_CANDIDATES, onlyEntryId ?? null],
    );
    return rows.map((r) => ({
      id: r.id,
      names: r.names,
      dateOfBirth: r.birth_date,
      nationalities: r.nationalities,
      sex: r.sex === 'male' || r.sex === 'female' ? r.sex : null,
      documents: r.documents,
    }));
  }
}
