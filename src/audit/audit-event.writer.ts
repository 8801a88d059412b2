import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../common/request-context';
import type { AuditEventInput } from './audit-event.input';

const SECRET_KEYS = /password|token|secret|hash/i;

/** Keeps secrets out of the trail whatever a caller passes in `before`/`after`/`details`. */
function withoutSecrets(value: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!value) return null;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !SECRET_KEYS.test(key)));
}

/** Inserts one event with the given manager (and so in its transaction). Used by AuditService and the seeder. */
export async function insertAuditEvent(
  manager: EntityManager,
  ctx: RequestContext,
  event: AuditEventInput,
): Promise<void> {
  const actor = ctx.actor;
  const user = actor?.kind === 'user' ? actor : null;
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
      user?.userId ?? null,
      user?.username ?? (actor?.kind === 'system' ? actor.name : null),
      user?.agencyId ?? null,
      user?.countryCode ?? null,
      user?.roles ?? [],
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
