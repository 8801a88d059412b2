import { Injectable, OnModuleInit } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { systemContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import { JobsService } from '../jobs/jobs.service';
import { NotificationsService } from '../notifications/notifications.service';
import { ClaimScope, CorrelationAlertStore, type ClaimedCorrelation } from './correlation-alert.store';
import { correlationNotice } from './correlation-notice';

export const CORRELATION_SWEEP_JOB = 'identifier-correlation-sweep';

/** Who the audit trail names as the actor: the rule, not the person whose write made the record visible. */
const ACTOR = 'identifier-correlations';

/**
 * Correlation alerts (issue 20, item 5). The trigger on `identifier_index` finds them in the writing
 * transaction, whatever the write path (migration 1763800080000); this service announces them as the
 * last work of that same transaction — a notification to the case's lead officer, about the record as
 * that country reads it, and an audit event owned by the case's country — so an alert commits with the
 * write that made the record visible, or not at all.
 *
 * The audit event's actor is the rule (a system actor), not the user whose step made the record
 * visible: that user is of the other country, and an event with them as actor would show their
 * country's auditors the case it matched.
 */
@Injectable()
export class CorrelationAlertsService implements OnModuleInit {
  constructor(
    private readonly tx: TransactionService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly jobs: JobsService,
  ) {}

  onModuleInit(): void {
    this.tx.onEveryCommit(async () => {
      await this.announce('this-transaction');
    });
    // Rows a write outside the app left (psql, a bulk load): announced late, but announced.
    this.jobs.define({
      name: CORRELATION_SWEEP_JOB,
      cron: '* * * * *',
      handler: async () => {
        await this.sweep();
      },
    });
  }

  /**
   * Announces what a write outside the app left unannounced, and what was withheld before where the
   * country now reads both sides; returns how many it announced.
   */
  sweep(): Promise<number> {
    return this.tx.run(() => this.announce('left-over'));
  }

  private async announce(scope: ClaimScope): Promise<number> {
    const store = new CorrelationAlertStore(this.tx.manager);
    let announced = 0;
    for (const row of await store.claim(scope)) if (await this.announceOne(store, row)) announced += 1;
    return announced;
  }

  private async announceOne(store: CorrelationAlertStore, row: ClaimedCorrelation): Promise<boolean> {
    // Said only where the country reads the identifier in both records (the scopes' rule, as "seen in"):
    // a row that fails tells nobody, not even the country's audit trail, and is withheld — not dropped:
    // the sweep checks it again, so a country that comes to read both sides hears of it then.
    if (!(await store.readsBothSides(row))) {
      await store.withhold(row.id);
      return false;
    }
    const payload = correlationNotice({
      caseId: row.case_id,
      caseReference: row.case_reference,
      matchKey: row.match_key,
      recordType: row.record_type,
      recordId: row.record_id,
      recordKind: row.record_kind,
      recordReference: row.record_reference,
      fromCountry: row.from_country,
      field: row.field,
    });
    // A case closed since the row was found (a late sweep) tells nobody.
    const recipients = row.case_open ? row.recipients : [];
    for (const userId of recipients) {
      await this.notifications.publish({
        eventType: 'identifier.correlation',
        countryCode: row.country_code,
        roles: ['officer'],
        userId,
        recordType: row.record_type,
        recordId: row.record_id,
        reference: row.record_reference,
        payload,
      });
    }
    await this.audit.record(systemContext(ACTOR), {
      action: 'case.identifier_correlation',
      recordType: 'case',
      recordId: row.case_id,
      ownerCountry: row.country_code,
      details: {
        identifierKind: row.kind,
        matchKey: row.match_key,
        recordType: row.record_type,
        recordId: row.record_id,
        reference: row.record_reference,
        field: row.field,
        notified: recipients,
      },
    });
    return true;
  }
}
