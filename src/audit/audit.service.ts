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
   * A read that is itself recorded (an audit page, a person consulted, a search of persons): on the
   * primary the event joins the read's transaction; read from a standby, the read runs there and its
   * event is written on the primary right after. Either way nothing is served unrecorded: a failed
   * write fails the request.
   */
  async recordRead<T>(
    ctx: RequestContext,
    read: () => Promise<T>,
    event: (value: T) => AuditEventInput | Promise<AuditEventInput>,
  ): Promise<T> {
    if (!this.tx.readsFromStandby)
      return this.tx.run(async () => {
        const value = await read();
        await this.record(ctx, await event(value));
        return value;
      });
    const value = await read();
    // The event is built on the primary too (what it may name is looked up there).
    await this.tx.run(async () => this.record(ctx, await event(value)));
    return value;
  }

  /**
   * `complete`, when given, finishes the event inside its own transaction, after the request's has
   * ended: what it reads there (a refused record's owner, whether that owner is told) is what stands
   * once the refused request rolled back. It may split the event in several (one per trail it goes in).
   */
  async recordIndependently(
    ctx: RequestContext,
    event: AuditEventInput,
    complete?: (
      manager: EntityManager,
      event: AuditEventInput,
    ) => Promise<AuditEventInput | AuditEventInput[]>,
  ): Promise<void> {
    // After the surrounding transaction (if any) ends, so the event survives its rollback.
    await this.tx.afterTransaction(() =>
      this.dataSource.transaction(async (manager) => {
        for (const written of [complete ? await complete(manager, event) : event].flat())
          await insertAuditEvent(manager, ctx, written);
      }),
    );
  }
}
