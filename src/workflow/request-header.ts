import type { Actor } from '../common/request-context';
import { draftIdOf } from '../common/references';
import type { CrossBorderRequest, RequestTimeField } from './cross-border-request.entity';
import type { RecipientView, RequestHeaderView } from './dto/request-header.dto';

/** A request as loaded (its times dates) or as a list page reads it (already ISO strings: `ListedRequest`). */
export type HeaderSource = Omit<CrossBorderRequest, RequestTimeField> & {
  [K in RequestTimeField]: CrossBorderRequest[K] | string;
};

const iso = (d: Date | string | null) =>
  d === null ? null : typeof d === 'string' ? d : new Date(d).toISOString();

/** The one mapper of the fields every request kind shows (its own fields come from its `viewExtras`). */
export function requestHeader(
  actor: Actor,
  r: HeaderSource,
  allowedActions: string[],
  /** Past its due time while the target owes an answer (`isOverdue`; a list page reads it with the row). */
  overdue: boolean,
  /** Every thread of the request's dispatch, if it has one (`dispatchThreads`). */
  dispatch: DispatchThread[] | undefined,
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
    // The assignee is one of the target's officers: a user id the origin has no business knowing.
    assignedTo: origin ? null : r.assignedTo,
    sentAt: iso(r.sentAt),
    dueAt: iso(r.dueAt),
    overdue,
    acceptedAt: iso(r.acceptedAt),
    fulfilledAt: iso(r.fulfilledAt),
    closedAt: iso(r.closedAt),
    rejectionReason: ((r.outcome ?? {}) as { rejectionReason?: string }).rejectionReason ?? null,
    recipients: recipientsSeenBy(origin, r, dispatch),
    allowedActions,
    // For the target the request begins when it was sent: when the origin began drafting it is the origin's.
    createdAt: origin ? iso(r.createdAt)! : (iso(r.sentAt) ?? iso(r.createdAt)!),
    updatedAt: iso(r.updatedAt)!,
    version: r.version,
  };
}

export interface DispatchThread {
  id: string;
  targetCountry: string;
  reference: string | null;
  status: RecipientView['status'];
}

/** Who else was asked: the origin sees every thread; a recipient only the countries, if allowed. */
function recipientsSeenBy(
  origin: boolean,
  r: Pick<CrossBorderRequest, 'dispatchId' | 'recipientsVisible'>,
  dispatch: DispatchThread[] | undefined,
): RecipientView[] | null {
  if (!dispatch || !r.dispatchId) return null;
  if (origin)
    return dispatch.map((t) => ({
      country: t.targetCountry,
      requestId: t.id,
      reference: t.reference,
      status: t.status,
    }));
  if (!r.recipientsVisible) return null;
  return dispatch.map((t) => ({ country: t.targetCountry, requestId: null, reference: null, status: null }));
}
