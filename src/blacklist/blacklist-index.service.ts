import { Injectable, OnModuleInit } from '@nestjs/common';
import type { RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import type { Person } from '../persons/person.entity';
import { PersonsService } from '../persons/persons.service';
import type { BlacklistEntry } from './blacklist-entry.entity';
import { RescreeningService } from '../screening/rescreening.service';
import { entryKeys } from './entry-keys';
import { INSERT_SCREENING_PROFILE_SQL } from './screening-profile';

/**
 * Keeps the screening index in step with the active blacklist: an entry's search keys and its screening
 * profile exist exactly while it is active (and until the hourly expiry job after it expires), so
 * candidate retrieval never meets a proposed, rejected or lifted entry, and each key's count of holders
 * follows (candidate retrieval reads it to tell rare keys from common). Each statement changes counts
 * in key order, so two activations sharing keys wait for each other, never deadlock. When the
 * proposing country corrects the person (an alias found later), the keys and profile follow in the same
 * transaction.
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

  /**
   * The keys and profile of the person's active entries, made again from the person as it now is. The
   * person's row is locked by its update: an activation or a lift of one of its entries waits for this
   * commit at its own lock of the person (see `lockPerson`), then reads the entry's state as it now is.
   */
  async reindexPerson(personId: string): Promise<void> {
    const active: Array<{ id: string; banning_country: string }> = await this.tx.manager.query(
      `SELECT id, banning_country FROM blacklist_entry WHERE person_id = $1 AND status = 'active' ORDER BY id`,
      [personId],
    );
    for (const entry of active) await this.index(entry.id, entry.banning_country, personId);
  }

  async remove(entry: Pick<BlacklistEntry, 'id' | 'personId' | 'banningCountry'>): Promise<void> {
    await this.lockPerson(entry.personId);
    await this.setKeys(entry.id, entry.banningCountry, []);
    await this.tx.manager.query(`DELETE FROM blacklist_screening_profile WHERE entry_id = $1`, [entry.id]);
  }

  /**
   * Activation and lift lock the entry (their UPDATE), then the person; a person's update locks the
   * person, then reads its entries without locking them. A change of the person being committed is so
   * waited for, and the keys are made from it; one that starts later waits for this commit and then
   * sees the entry's new state. Locks are always taken entry before person: no deadlock.
   */
  private async lockPerson(personId: string): Promise<Pick<Person, 'names' | 'documents'>> {
    const [person] = await this.tx.manager.query(
      `SELECT names, documents FROM person WHERE id = $1 FOR SHARE`,
      [personId],
    );
    return person;
  }

  /** Makes the entry's keys and profile those of its person: keys it already has are left alone. */
  private async index(entryId: string, banningCountry: string, personId: string): Promise<void> {
    const person = await this.lockPerson(personId);
    await this.setKeys(entryId, banningCountry, entryKeys(person));
    await this.tx.manager.query(`DELETE FROM blacklist_screening_profile WHERE entry_id = $1`, [entryId]);
    await this.tx.manager.query(INSERT_SCREENING_PROFILE_SQL, [entryId]);
  }

  /**
   * The entry's keys become `keys` (none: it leaves the index), and their counts of holders follow. A
   * removed key's count row always exists (made when the key was added), so an inserted 0 only ever
   * marks a removal; one statement, counts changed in key order.
   */
  private async setKeys(entryId: string, banningCountry: string, keys: string[]): Promise<void> {
    await this.tx.manager.query(
      `WITH gone AS (
         DELETE FROM blacklist_search_key WHERE entry_id = $1 AND key <> ALL($3::text[]) RETURNING key
       ), added AS (
         INSERT INTO blacklist_search_key (entry_id, banning_country, key) SELECT $1, $2, unnest($3::text[])
         ON CONFLICT DO NOTHING RETURNING key
       ), changed AS (SELECT key, 0 AS entries FROM gone UNION ALL SELECT key, 1 FROM added)
       INSERT INTO blacklist_search_key_count (banning_country, key, entries)
       SELECT $2, key, entries FROM changed ORDER BY key
       ON CONFLICT (banning_country, key) DO UPDATE
         SET entries = blacklist_search_key_count.entries + CASE WHEN EXCLUDED.entries = 0 THEN -1 ELSE 1 END`,
      [entryId, banningCountry, keys],
    );
  }
}
