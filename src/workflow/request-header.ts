import type { Actor } from '../common/request-context';
import { draftIdOf } from '../common/references';
import type { CrossBorderRequest } from './cross-border-request.entity';
import { isOverdue } from './due-time';
import type { RequestHeaderView } from './dto/request-header.dto';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** The one mapper of the fields every request kind shows (its own fields come from its `viewExtras`). */
export function requestHeader(
  actor: Actor,
  r: CrossBorderRequest,
  allowedActions: string[],
  now: Date,
): RequestHeaderView {
  const origin = actor.countryCode === r.originCountry;
  return {
    id: r.id,
    reference: r.reference,
    draftId: draftIdOf(r.id),
    kind: r.kind,
    direction: origin ? 'outbound' : 'inbound',
    originCountry: r.originCountry,
    targetCountry: r.targetCountry,
    frameworkId: r.frameworkId,
    caseId: origin ? r.caseId : null,
    priority: r.priority,
    handlingCode: r.handlingCode,
    status: r.status,
    subject: r.subject,
    assignedTo: r.assignedTo,
    sentAt: iso(r.sentAt),
    dueAt: iso(r.dueAt),
    overdue: isOverdue(r, now),
    acceptedAt: iso(r.acceptedAt),
    fulfilledAt: iso(r.fulfilledAt),
    closedAt: iso(r.closedAt),
    rejectionReason: ((r.outcome ?? {}) as { rejectionReason?: string }).rejectionReason ?? null,
    allowedActions,
    createdAt: iso(r.createdAt)!,
    updatedAt: iso(r.updatedAt)!,
    version: r.version,
  };
}
