import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import { Person } from '../persons/person.entity';
import type { BlacklistEntry } from './blacklist-entry.entity';
import { RescreeningService } from '../screening/rescreening.service';
import { entryKeys } from './entry-keys';

/**
 * Keeps the screening index in step with the active blacklist: an entry's search keys exist exactly
 * while it is active, so candidate retrieval never meets a proposed, rejected or lifted entry.
 */
@Injectable()
export class BlacklistIndexService {
  constructor(
    private readonly tx: TransactionService,
    private readonly rescreening: RescreeningService,
  ) {}

  async activate(_ctx: RequestContext, entry: BlacklistEntry): Promise<void> {
    const person = await this.tx.manager.getRepository(Person).findOneByOrFail({ id: entry.personId });
    const keys = entryKeys(person);
    await this.tx.manager.query(
      `INSERT INTO blacklist_search_key (entry_id, banning_country, key) SELECT $1, $2, unnest($3::text[]) ON CONFLICT DO NOTHING`,
      [entry.id, entry.banningCountry, keys],
    );
    await this.rescreening.matchNewEntry(entry, person);
  }

  async remove(entryId: string): Promise<void> {
    await this.tx.manager.query(`DELETE FROM blacklist_search_key WHERE entry_id = $1`, [entryId]);
  }
}
