import type { Role } from './permissions/roles';

/** What the outbox says happened; recipients are addressed by country and role (or one user). */
export const NOTIFICATION_EVENTS = [
  'request.inbound',
  'request.accepted',
  'request.rejected',
  'request.fulfilled',
  /** The origin withdrew a request it had sent: to the target, which may be working on it. */
  'request.withdrawn',
  /**
   * The target recorded a step of carrying out a freeze on one of its accounts or wallets (frozen, funds
   * gone, recovered, returned, released, closed out): to the origin, for whom minutes can matter.
   */
  'asset_freeze.target_step',
  /** Hand-offs inside one country (`HAND_OFFS`): a draft submitted, to the origin's liaisons, who approve. */
  'request.submitted',
  /** A submitted draft sent back: to the officers who drafted and submitted it. */
  'request.returned',
  /** The target's liaison handed the request to an officer: to that officer. */
  'request.assigned',
  'request.message',
  'request.due_soon',
  'request.overdue',
  'screening.hit_confirmed',
  /** A past screening matches a newly active entry: to the banning country's liaisons only. */
  'screening.rescreen_match',
  /**
   * The person of an active entry changed and an amendment of the entry's identity waits: to the banning
   * country's liaisons (who accept or reject it), naming the fields changed, never their values.
   */
  'blacklist.amendment_proposed',
  /**
   * The banning country decided on one entry (activated, rejected, lifted, extended): to the proposing
   * country's liaisons and officers, with the decision and its dates only.
   */
  'blacklist.entry_decided',
  /**
   * A batch activation activated entries of a proposal: to the proposing country's liaisons and officers,
   * one notice per proposal naming its entries (about the proposal).
   */
  'blacklist.entries_activated',
  /**
   * An active ban lapses within `BLACKLIST_EXPIRY_NOTICE_DAYS`: to the banning country's liaisons (who may
   * extend it) and the proposing country's (who may ask them to); once per entry and expiry date.
   */
  'blacklist.entry_expiring',
  'repatriation.handover_to_confirm',
  /** A repatriation's plan (date, route, carrier, escorts) was made or changed: to the other side. */
  'repatriation.scheduled',
  /** The sending side dropped a person from the repatriation (released, charged locally…): to the other side. */
  'repatriation.person_dropped',
  /**
   * The arresting country corrected an arrest: to the officers and liaisons of each country that reads
   * it (shared with it, or the other side of a repatriation request under way), naming the fields
   * changed, never their values.
   */
  'arrest.corrected',
  /** A change widening an account's roles waits for a second admin: to the country's auditors and admins. */
  'user.role_change_requested',
  /** A password reset waits for a second admin before the account signs in: to the country's auditors and admins. */
  'user.password_reset_requested',
  /** An account a country admin created waits, disabled, for a second admin to enable it: likewise. */
  'user.created_awaiting_enable',
  /**
   * A record newly visible to a country carries an identifier one of its open cases holds: to the case's
   * lead officer, about the record (a request), named as that country reads it.
   */
  'identifier.correlation',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export interface NotificationInput {
  eventType: NotificationEvent;
  countryCode: string;
  roles: Role[];
  /** Set when one person is meant (the assigned officer). */
  userId?: string | null;
  recordType: string;
  recordId: string;
  reference: string | null;
  /** Only what every recipient may see: RED requests carry no subject, only the reference. */
  payload: Record<string, unknown>;
}
