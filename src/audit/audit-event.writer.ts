import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../common/request-context';
import { queryPrepared, SqlParams } from '../database/sql-parts';
import type { AuditEventInput } from './audit-event.input';
import { signalAuditEventWritten } from './audit-write-signal';

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
  const params = new SqlParams();
  // Prepared: one text for every event, written at nearly every request (each read that shows persons
  // is a consultation), so each connection parses and plans it once.
  await queryPrepared(manager, auditEventInsert(params, ctx, event), params.values);
}

/**
 * The event's INSERT as a part of a larger statement (`JoinedWrite`): with `from`, one row per row of
 * that CTE (none when the change it describes wrote nothing), so the change and its event are one
 * statement, hence one transaction, even without BEGIN.
 */
export function auditEventInsert(
  params: SqlParams,
  ctx: RequestContext,
  event: AuditEventInput,
  from?: string,
): string {
  signalAuditEventWritten();
  const actor = ctx.actor;
  const user = actor?.kind === 'user' ? actor : null;
  const changes =
    event.before || event.after
      ? { before: withoutSecrets(event.before), after: withoutSecrets(event.after) }
      : null;
  const values = [
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
  ].map((value, i) => `${params.add(value)}::${COLUMN_TYPES[i]}`);
  return `INSERT INTO audit_event (actor_kind, actor_user_id, actor_username, actor_agency_id, actor_country, actor_roles,
       action, outcome, record_type, record_id, owner_country, counterpart_country, changes, details,
       request_id, source_ip, user_agent)
     SELECT ${values.join(', ')}${from ? ` FROM ${from}` : ''}`;
}

/** The columns' types, in the order above: a part selected FROM another CTE has no VALUES to infer them. */
const COLUMN_TYPES = [
  'text',
  'uuid',
  'text',
  'uuid',
  'char(2)',
  'text[]',
  'text',
  'text',
  'text',
  'text',
  'char(2)',
  'char(2)',
  'jsonb',
  'jsonb',
  'text',
  'text',
  'text',
];
