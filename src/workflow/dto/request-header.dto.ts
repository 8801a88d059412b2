import type { HandlingCode } from '../../sharing/handling-code';
import type { Priority } from '../cross-border-request.entity';
import type { RequestStatus } from '../request-lifecycle';

/** One recipient of a request sent to several countries. */
export class RecipientView {
  country!: string;
  /** The thread to that country: shown to the origin only (a recipient sees who, not how it went). */
  requestId!: string | null;
  reference!: string | null;
  status!: RequestStatus | null;
}

/** The fields every request kind's view starts with (`requestHeader`); a kind's view adds its own. */
export class RequestHeaderView {
  id!: string;
  /**
   * Given when the request is sent (`approve`), numbered per origin, target, kind and year
   * (`KR-KH-INF-2026-000042`, gap-free per series); null before that. A RED request is not numbered:
   * the same prefix with `R` and 8 random characters of Crockford's base 32 (`KR-KH-INF-2026-R7KQ4M2XP`),
   * so the series read by those who may not read it has no gap for it.
   */
  reference!: string | null;
  /** The name of the request before it has a reference (`DRAFT-1A2B3C4D`, from its id); kept after. */
  draftId!: string;
  kind!: string;
  /** From the caller's point of view. */
  direction!: 'inbound' | 'outbound';
  originCountry!: string;
  targetCountry!: string;
  frameworkId!: string;
  /** Shown to the origin only. */
  caseId!: string | null;
  priority!: Priority;
  handlingCode!: HandlingCode;
  status!: RequestStatus;
  subject!: string;
  /** The target officer the request is assigned to, where the kind assigns; shown to the target only. */
  assignedTo!: string | null;
  sentAt!: string | null;
  dueAt!: string | null;
  /** Past its due time while the target still owes an answer. */
  overdue!: boolean;
  acceptedAt!: string | null;
  fulfilledAt!: string | null;
  closedAt!: string | null;
  rejectionReason!: string | null;
  /**
   * A request sent to several countries at once: every recipient, to the origin with each thread's
   * reference and status; to a recipient only if the origin made the list visible, else null (as for a
   * request to one country).
   */
  recipients!: RecipientView[] | null;
  /** The workflow steps the caller may take now; each one listed succeeds (guards load their facts). */
  allowedActions!: string[];
  /** For the origin, when the draft was created; for the target, when the request was sent to it. */
  createdAt!: string;
  updatedAt!: string;
  version!: number;
}
