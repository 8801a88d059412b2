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
   * One event that describes no other write, committed by itself on the primary: a single INSERT is a
   * transaction of its own, so none is opened around it.
   */
  async recordAlone(ctx: RequestContext, event: AuditEventInput): Promise<void> {
    await insertAuditEvent(this.dataSource.manager, ctx, event);
  }

  /**
   * A read that is itself recorded (an audit page, a person consulted, a search of persons). Nothing is
   * served unrecorded: a failed write fails the request.
   *
   * Inside a caller's transaction the event joins it. Otherwise no transaction is opened: the read's
   * statements run each on its own, as they would in one (READ COMMITTED: each statement sees what was
   * committed when it began), and the event is a single INSERT, a transaction by itself. A read writes
   * nothing else, so BEGIN, COMMIT and the commit's own checks would only cost round trips: three of
   * the five statements of a typical consultation. Read from a standby, the read runs there and its
   * event is built and written on the primary right after.
   */
  async recordRead<T>(
    ctx: RequestContext,
    read: () => Promise<T>,
    event: (value: T) => AuditEventInput | Promise<AuditEventInput>,
  ): Promise<T> {
    if (this.tx.inTransaction) {
      const value = await read();
      await this.record(ctx, await event(value));
      return value;
    }
    if (!this.tx.readsFromStandby) {
      const value = await read();
      await this.recordAlone(ctx, await event(value));
      return value;
    }
    const value = await read();
    // The event is built on the primary too (what it may name is looked up there).
    await this.tx.run(async () => this.record(ctx, await event(value)));
    return value;
  }

  /**
   * `complete`, when given, finishes the event after the request's transaction has ended, on the
   * primary's pool: what it reads there (a refused record's owner, whether that owner is told) is what stands
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
    // After the surrounding transaction (if any) ends, so the event survives its rollback. What
    // `complete` reads needs no transaction of its own (each statement sees what is committed); one
    // event is one INSERT, a transaction by itself; several are written together or not at all.
    await this.tx.afterTransaction(async () => {
      const written = [complete ? await complete(this.dataSource.manager, event) : event].flat();
      if (written.length <= 1) {
        for (const one of written) await this.recordAlone(ctx, one);
        return;
      }
      await this.dataSource.transaction(async (manager) => {
        for (const one of written) await insertAuditEvent(manager, ctx, one);
      });
    });
  }
}
