import { Injectable, OnModuleInit } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { DomainEventBus } from '../common/events/domain-event-bus';
import { requestLabelSql } from '../common/references';
import { systemContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { AppConfig } from '../config/app-config.service';
import { returningRows } from '../database/returning';
import { TransactionService } from '../database/transaction.service';
import { JobsService } from '../jobs/jobs.service';
import { BlacklistEntryExpiring } from './blacklist-events';

const ctx = systemContext('blacklist-expiry-notice');
const JOB = 'blacklist-expiry-notice';
const BATCH = 500;

/**
 * A ban lapses on its date whether or not anyone remembers it: every hour, each active ban whose expiry
 * falls within `BLACKLIST_EXPIRY_NOTICE_DAYS` (14) from today is told to its banning country's liaisons,
 * who may extend it, and to its proposing country's, who may ask them to (`BlacklistEntryExpiring`).
 *
 * Once per entry and expiry date: an entry is claimed by setting `expiry_notice_for` to its expiry in a
 * conditional UPDATE (SKIP LOCKED, a batch per transaction with the notices and an audit event each), so
 * two instances, or a run again, tell nobody twice; an extension moves the date, and the new one is told
 * when it comes near. Hourly, not daily: a ban activated or extended to a date already within the period
 * is told within the hour, and a run missed while no instance was up is caught up by the next.
 */
@Injectable()
export class BlacklistExpiryNoticeService implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly events: DomainEventBus,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.jobs.define({
      name: JOB,
      cron: '15 * * * *',
      handler: async () => void (await this.tellExpiring()),
    });
  }

  /** How many bans were told of as expiring. */
  async tellExpiring(): Promise<number> {
    const today = this.clock.today();
    const days = this.config.get('BLACKLIST_EXPIRY_NOTICE_DAYS');
    let total = 0;
    for (;;) {
      const told = await this.tx.run(async () => {
        // Entry rows locked as a decision locks them; an entry being extended right now is skipped and
        // taken by the next run, with the date its extension left.
        const due = await returningRows<{
          id: string;
          proposal_id: string;
          reference: string;
          proposing_country: string;
          banning_country: string;
          expires_on: string;
        }>(
          this.tx.manager,
          `UPDATE blacklist_entry e SET expiry_notice_for = e.expires_on
             FROM cross_border_request r
            WHERE r.id = e.proposal_id AND e.id IN (
                    SELECT d.id FROM blacklist_entry d
                     WHERE d.status = 'active' AND d.expiry_notice_for IS DISTINCT FROM d.expires_on
                       AND d.expires_on BETWEEN $1::date AND $1::date + $2::int
                     ORDER BY d.expires_on, d.id LIMIT $3 FOR UPDATE SKIP LOCKED)
          RETURNING e.id, e.proposal_id, ${requestLabelSql('r')} AS reference, e.proposing_country,
                    e.banning_country, e.expires_on::text AS expires_on`,
          [today, days, BATCH],
        );
        for (const entry of due) {
          await this.audit.record(ctx, {
            action: 'blacklist.entry.expiring',
            recordType: 'blacklist_entry',
            recordId: entry.id,
            ownerCountry: entry.proposing_country,
            counterpartCountry: entry.banning_country,
            details: { expiresOn: entry.expires_on },
          });
          await this.events.publish(
            new BlacklistEntryExpiring(
              {
                entryId: entry.id,
                proposalId: entry.proposal_id,
                proposalReference: entry.reference,
                proposingCountry: entry.proposing_country,
                banningCountry: entry.banning_country,
              },
              entry.expires_on,
            ),
          );
        }
        return due.length;
      });
      total += told;
      if (told < BATCH) return total;
    }
  }
}
