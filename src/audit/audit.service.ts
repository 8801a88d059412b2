import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
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

  /**
   * `ownerCountry`, when given, looks the owner up inside the event's own transaction (a denial of a
   * record the caller could not see).
   */
  async recordIndependently(
    ctx: RequestContext,
    event: AuditEventInput,
    ownerCountry?: (manager: EntityManager) => Promise<string | null>,
  ): Promise<void> {
    // After the surrounding transaction (if any) ends, so the event survives its rollback.
    await this.tx.afterTransaction(() =>
      this.dataSource.transaction(async (manager) =>
        insertAuditEvent(
          manager,
          ctx,
          ownerCountry ? { ...event, ownerCountry: await ownerCountry(manager) } : event,
        ),
      ),
    );
  }
}
