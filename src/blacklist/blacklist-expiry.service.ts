import { Injectable, OnModuleInit } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { systemContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { TransactionService } from '../database/transaction.service';
import { JobsService } from '../jobs/jobs.service';
import { BlacklistIndexService } from './blacklist-index.service';

const ctx = systemContext('blacklist-expiry');
const BATCH = 500;

/**
 * An entry past its expiry date is never a screening candidate (a rule applied at query time), but its
 * search keys and profile would stay for ever — a lift is refused once it has expired — taking
 * candidate slots from entries that still count. Every hour, expired entries leave the screening
 * index, a batch per transaction, each with its audit event; the entry itself shows as expired.
 */
@Injectable()
export class BlacklistExpiryService implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly tx: TransactionService,
    private readonly index: BlacklistIndexService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.jobs.define({
      name: 'blacklist-expiry',
      cron: '5 * * * *',
      handler: async () => void (await this.unindexExpired()),
    });
  }

  /** How many expired entries left the screening index. */
  async unindexExpired(): Promise<number> {
    const today = this.clock.today();
    let total = 0;
    for (;;) {
      const done = await this.tx.run(async () => {
        // Entry rows locked first, as a lift does; SKIP LOCKED lets another instance take the next ones.
        const expired: Array<{
          id: string;
          proposing_country: string;
          banning_country: string;
          expires_on: string;
        }> = await this.tx.manager.query(
          `SELECT e.id, e.proposing_country, e.banning_country, s.expires_on::text
             FROM blacklist_screening_profile s JOIN blacklist_entry e ON e.id = s.entry_id
            WHERE s.expires_on < $1::date ORDER BY s.expires_on, e.id LIMIT $2 FOR UPDATE OF e SKIP LOCKED`,
          [today, BATCH],
        );
        for (const entry of expired) {
          await this.index.remove({
            id: entry.id,
            banningCountry: entry.banning_country,
          });
          await this.audit.record(ctx, {
            action: 'blacklist.entry.expired',
            recordType: 'blacklist_entry',
            recordId: entry.id,
            ownerCountry: entry.proposing_country,
            counterpartCountry: entry.banning_country,
            details: { expiresOn: entry.expires_on },
          });
        }
        return expired.length;
      });
      total += done;
      if (done < BATCH) return total;
    }
  }
}
