import { Injectable, OnModuleInit } from '@nestjs/common';
import type { RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import { Person } from '../persons/person.entity';
import { PersonsService } from '../persons/persons.service';
import type { BlacklistEntry } from './blacklist-entry.entity';
import { RescreeningService } from '../screening/rescreening.service';
import { entryKeys } from './entry-keys';
import { INSERT_SCREENING_PROFILE_SQL } from './screening-profile';

/**
 * Keeps the screening index in step with the active blacklist: an entry's search keys and its
 * screening profile exist exactly while it is active, so candidate retrieval never meets a proposed, rejected or lifted entry, and
 * each key's count of holders follows (candidate retrieval reads it to tell rare keys from common).
 * Counts are changed in key order, so two activations sharing keys wait for each other, never deadlock.
 * When the proposing country corrects the person (an alias found later), the keys follow at once.
 */
@Injectable()
export class BlacklistIndexService implements OnModuleInit {
  constructor(
    private readonly tx: TransactionService,
    private readonly rescreening: RescreeningService,
    private readonly persons: PersonsService,
  ) {}

  onModuleInit(): void {
    this.persons.onChange((personId) => this.reindexPerson(personId));
  }

  async activate(_ctx: RequestContext, entry: BlacklistEntry): Promise<void> {
    await this.index(entry.id, entry.banningCountry, entry.personId);
    await this.rescreening.matchNewEntry(entry);
  }

  /** The keys of the person's active entries, made again from the person as it now is. */
  async reindexPerson(personId: string): Promise<void> {
    const active: Array<{ id: string; banning_country: string }> = await this.tx.manager.query(
      `SELECT id, banning_country FROM blacklist_entry WHERE person_id = $1 AND status = 'active' ORDER BY id`,
      [personId],
    );
    for (const entry of active) {
      await this.remove(entry.id);
      await this.index(entry.id, entry.banning_country, personId);
    }
  }

  private async index(entryId: string, banningCountry: string, personId: string): Promise<void> {
    const person = await this.tx.manager.getRepository(Person).findOneByOrFail({ id: personId });
    const keys = entryKeys(person);
    await this.tx.manager.query(
      `WITH added AS (
         INSERT INTO blacklist_search_key (entry_id, banning_country, key) SELECT $1, $2, unnest($3::text[])
         ON CONFLICT DO NOTHING RETURNING banning_country, key)
       INSERT INTO blacklist_search_key_count (banning_country, key, entries)
       SELECT banning_country, key, 1 FROM added ORDER BY key
       ON CONFLICT (banning_country, key) DO UPDATE SET entries = blacklist_search_key_count.entries + 1`,
      [entryId, banningCountry, keys],
    );
    await this.tx.manager.query(INSERT_SCREENING_PROFILE_SQL, [entryId]);
  }

  async remove(entryId: string): Promise<void> {
    // Every removed key has its count row (made when the key was added): this only ever updates.
    await this.tx.manager.query(
      `WITH removed AS (DELETE FROM blacklist_search_key WHERE entry_id = $1 RETURNING banning_country, key)
       INSERT INTO blacklist_search_key_count (banning_country, key, entries)
       SELECT banning_country, key, 0 FROM removed ORDER BY key
       ON CONFLICT (banning_country, key) DO UPDATE SET entries = blacklist_search_key_count.entries - 1`,
      [entryId],
    );
    await this.tx.manager.query(`DELETE FROM blacklist_screening_profile WHERE entry_id = $1`, [entryId]);
  }
}
