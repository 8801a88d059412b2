import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import type { AuditEventInput } from './audit-event.input';

const SECRET_KEYS = /password|token|secret|hash/i;

/** Keeps secrets out of the trail whatever a caller passes in `before`/`after`/`details`. */
function withoutSecrets(value: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!value) return null;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !SECRET_KEYS.test(key)));
}

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
    await this.insert(this.tx.manager, ctx, event);
  }

  async recordIndependently(ctx: RequestContext, event: AuditEventInput): Promise<void> {
    await this.dataSource.transaction((manager) => this.insert(manager, ctx, event));
  }

  private async insert(manager: EntityManager, ctx: RequestContext, event: AuditEventInput): Promise<void> {
    const actor = ctx.actor;
    const changes =
      event.before || event.after
        ? { before: withoutSecrets(event.before), after: withoutSecrets(event.after) }
        : null;
    await manager.query(
      `INSERT INTO audit_event (actor_kind, actor_user_id, actor_username, actor_agency_id, actor_country, actor_roles,
         action, outcome, record_type, record_id, owner_country, counterpart_country, changes, details,
         request_id, source_ip, user_agent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [
        actor === null ? 'anonymous' : actor.kind,
        actor?.kind === 'user' ? actor.userId : null,
        actor?.kind === 'user' ? actor.username : actor?.kind === 'system' ? actor.name : null,
        actor?.kind === 'user' ? actor.agencyId : null,
        actor?.kind === 'user' ? actor.countryCode : null,
        actor?.kind === 'user' ? actor.roles : [],
        event.action,
        event.outcome ?? 'success',
        event.recordType ?? null,
        event.recordId ?? null,
        event.ownerCountry ?? null,
        event.counterpartCountry ?? null,
        changes,
        withoutSecrets(event.details),
        ctx.requestId,
        ctx.sourceIp,
        ctx.userAgent,
      ],
    );
  }
}
