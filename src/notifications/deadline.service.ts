import {
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { systemContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { AppConfig } from '../config/app-config.service';
import { returningRows } from '../database/returning';
import { TransactionService } from '../database/transaction.service';
import { JobsService } from '../jobs/jobs.service';
import { CrossBorderRequest } from '../workflow/cross-border-request.entity';
import { NotificationsService } from './notifications.service';

const ctx = systemContext('deadline-job');

/**
 * Every minute: requests at 75 % of their time warn the target's liaisons; overdue ones warn the
 * target's and then the origin's liaisons. Each warning is claimed by a conditional UPDATE in the same
 * transaction as its notifications, so it goes out exactly once however many instances scan.
 */
@Injectable()
export class DeadlineService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Deadlines');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly tx: TransactionService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.jobs.define({
      name: 'deadline-scan',
      cron: '* * * * *',
      handler: async () => void (await this.scan()),
    });
  }

  /** Test only (TEST_DEADLINE_SCAN_INTERVAL_MS): this instance also scans on its own timer. */
  onApplicationBootstrap(): void {
    const interval = this.config.get('TEST_DEADLINE_SCAN_INTERVAL_MS');
    if (!interval || !this.config.get('JOBS_ENABLED')) return;
    let scanning = false;
    this.timer = setInterval(() => {
      if (scanning) return;
      scanning = true;
      this.scan()
        .catch((error: unknown) => this.logger.error({ err: error, msg: 'deadline scan failed' }))
        .finally(() => (scanning = false));
    }, interval);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async scan(): Promise<{ dueSoon: number; overdue: number }> {
    const now = this.clock.now();
    const claimed = await this.tx.run(async () => {
      const dueSoon = await this.claim(
        `due_soon_notified_at IS NULL AND status = 'sent' AND due_at > $1 AND sent_at + (due_at - sent_at) * 0.75 <= $1`,
        'due_soon_notified_at',
        now,
      );
      for (const r of dueSoon) {
        await this.notifications.aboutRequest(r, 'request.due_soon', 'target');
        await this.audit.record(ctx, {
          action: 'request.due_soon',
          recordType: 'request',
          recordId: r.id,
          ownerCountry: r.originCountry,
          counterpartCountry: r.targetCountry,
        });
      }
      const overdue = await this.claim(
        `overdue_notified_at IS NULL AND status IN ('sent', 'accepted') AND due_at <= $1`,
        'overdue_notified_at',
        now,
      );
      for (const r of overdue) {
        await this.notifications.aboutRequest(r, 'request.overdue', 'target');
        await this.notifications.aboutRequest(r, 'request.overdue', 'origin');
        await this.audit.record(ctx, {
          action: 'request.overdue',
          recordType: 'request',
          recordId: r.id,
          ownerCountry: r.originCountry,
          counterpartCountry: r.targetCountry,
          after: { overdue: true },
        });
      }
      return { dueSoon: dueSoon.length, overdue: overdue.length };
    });
    this.logger.debug({ msg: 'deadline scan', ...claimed });
    return claimed;
  }

  private async claim(condition: string, column: string, now: Date): Promise<CrossBorderRequest[]> {
    const repo = this.tx.manager.getRepository(CrossBorderRequest);
    const rows = await returningRows<{ id: string }>(
      this.tx.manager,
      `UPDATE cross_border_request SET ${column} = $1 WHERE id IN (
         SELECT id FROM cross_border_request WHERE ${condition} ORDER BY due_at LIMIT 500 FOR UPDATE SKIP LOCKED
       ) RETURNING id`,
      [now],
    );
    return rows.length ? repo.findBy({ id: In(rows.map((r) => r.id)) }) : [];
  }
}
