import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import { returningRows } from '../database/returning';
import type { BlacklistEntry } from './blacklist-entry.entity';
import { RescreeningService } from '../screening/rescreening.service';
import type { EntryIdentity } from './entry-identity';
import { indexEntry, setEntryKeys } from './entry-index';

/**
 * Keeps the screening index in step with the active blacklist: an entry's search keys and its screening
 * profile exist exactly while it is active (and until the hourly expiry job after it expires), so
 * candidate retrieval never meets a proposed, rejected or lifted entry, and each key's count of holders
 * follows (candidate retrieval reads it to tell rare keys from common). Each statement changes counts
 * in key order, so two activations sharing keys wait for each other, never deadlock.
 *
 * Keys and profile are made from the entry's identity (the banning country's copy, taken at activation),
 * never from the live person: a change of the person by its owner becomes a pending amendment
 * (`BlacklistAmendmentsService`), and only its acceptance by the banning country re-keys the entry.
 */
@Injectable()
export class BlacklistIndexService {
  constructor(
    private readonly tx: TransactionService,
    private readonly rescreening: RescreeningService,
  ) {}

  /**
   * Copies the person's identity, as the banning country was given it and as last committed, into the
   * entry being activated (its row is locked by the activation), then indexes it. The person is not locked: the owner's edit must not wait on
   * another country's activation (its latency would tell the owner that country is deciding on the
   * person, which it may not know of). An edit committed after this read queued the person (an entry
   * proposed or active), and the amendment job, locking the entry, waits for this activation and
   * proposes the edit as an amendment (`BlacklistAmendmentsService`): no change is lost.
   */
  async activate(_ctx: RequestContext, entry: BlacklistEntry): Promise<void> {
    // What the banning country was given: its own copy of the person where it keeps one (an onward
    // recipient, or its cooperation with the owner ended), else the proposing country's copy where that
    // one keeps one (what the proposal carried), else the live person.
    const [identity] = await returningRows<EntryIdentity>(
      this.tx.manager,
      `UPDATE blacklist_entry e
          SET identity_names = s.names, identity_birth_date = s.birth_date,
              identity_nationalities = s.nationalities, identity_sex = s.sex,
              identity_documents = s.documents, identity_taken_at = now()
         FROM (SELECT x.names, x.birth_date, x.nationalities, x.sex, x.documents
                 FROM blacklist_entry b
                 JOIN LATERAL (
                        SELECT 1 AS rank, k.names, k.birth_date, k.nationalities, k.sex, k.documents
                          FROM person_kept_copy k WHERE k.person_id = b.person_id AND k.country_code = b.banning_country
                        UNION ALL
                        SELECT 2, k.names, k.birth_date, k.nationalities, k.sex, k.documents
                          FROM person_kept_copy k WHERE k.person_id = b.person_id AND k.country_code = b.proposing_country
                        UNION ALL
                        SELECT 3, p.names, p.birth_date, p.nationalities, p.sex, p.documents
                          FROM person p WHERE p.id = b.person_id
                        ORDER BY 1 LIMIT 1) x ON true
                WHERE b.id = $1) s
        WHERE e.id = $1
    RETURNING e.identity_names AS names, e.identity_documents AS documents, e.identity_birth_date AS "birthDate"`,
      [entry.id],
    );
    await indexEntry(this.tx.manager, entry.id, entry.banningCountry, identity);
    await this.rescreening.queue(entry, 'activation');
  }

  /**
   * The entry's identity was changed by an accepted amendment (its row locked by that UPDATE): keys and
   * profile follow, in the same transaction, and the recent screenings are queued to be matched against the
   * new identity as on activation (a traveller who passed with the new passport last week is found).
   */
  async reindex(entry: BlacklistEntry, identity: EntryIdentity): Promise<void> {
    await indexEntry(this.tx.manager, entry.id, entry.banningCountry, identity);
    await this.rescreening.queue(entry, 'activation');
  }

  /**
   * An extended ban's new expiry, in the extension's transaction (its entry row locked by the UPDATE):
   * checkpoints read the expiry from the profile (`candidate-pool.ts`), so the ban screens past its old
   * date from the extension's commit on, never lapsing in between. Keys do not change (same identity).
   */
  async extend(entryId: string, expiresOn: string): Promise<void> {
    await this.tx.manager.query(
      `UPDATE blacklist_screening_profile SET expires_on = $2::date WHERE entry_id = $1`,
      [entryId, expiresOn],
    );
  }

  async remove(entry: Pick<BlacklistEntry, 'id' | 'banningCountry'>): Promise<void> {
    await setEntryKeys(this.tx.manager, entry.id, entry.banningCountry, []);
    await this.tx.manager.query(`DELETE FROM blacklist_screening_profile WHERE entry_id = $1`, [entry.id]);
  }
}
