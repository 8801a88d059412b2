import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import type { AuditEventInput } from './audit-event.input';
import { insertAuditEvent } from './audit-event.writer';

/**
 * Writes audit events. `record` joins the caller's transaction, so the event commits or rolls back with
 * the change it describes. `recordIndependently` is for events that must survive the failure of the
 * request they describe (access denials, failed logins).
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly tx: TransactionService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async record(ctx: RequestContext, event: AuditEventInput): Promise<void> {
    if (!this.tx.inTransaction)
      throw new Error(`Audit event '${event.action}' recorded outside a transaction`);
    await insertAuditEvent(this.tx.manager, ctx, event);
  }

  async recordIndependently(ctx: RequestContext, event: AuditEventInput): Promise<void> {
    // After the surrounding transaction (if any) ends, so the event survives its rollback.
    await this.tx.afterTransaction(() =>
      this.dataSource.transaction((manager) => insertAuditEvent(manager, ctx, event)),
    );
  }
}
