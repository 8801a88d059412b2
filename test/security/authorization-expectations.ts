import { PERMISSIONS, Permission } from '../../src/common/permissions/permissions';
import type { Role } from '../../src/common/permissions/roles';

/**
 * The authorization matrix's expectations, in one place.
 *
 * `ROUTE_PERMISSIONS` names the permission each route of the OpenAPI document needs (or `public`). The
 * matrix spec checks it against the `@RequirePermission` metadata of the running app, so a new route, or
 * a route whose permission changed, fails until this table is reviewed. Who holds a permission comes
 * from `PERMISSIONS` itself; which records a country sees is `RecordUnderTest.visibleTo`.
 */
export const ROUTE_PERMISSIONS: Record<string, Permission | 'public'> = {
  'GET /api/health': 'public',
  'GET /api/ready': 'public',
  'GET /api/v1/audit-events': 'audit.read',
  'GET /api/v1/audit-events/timeline': 'audit.read',
  'GET /api/v1/audit-events/export': 'audit.read',
  'GET /api/v1/audit-events/checkpoints': 'audit.chain',
  'GET /api/v1/audit-events/checkpoints/latest': 'audit.chain',
  'GET /api/v1/audit-events/checkpoints/public-key': 'audit.verify',
  'POST /api/v1/audit-events/verify': 'audit.verify',
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/refresh': 'public',
  'POST /api/v1/auth/logout': 'account.self',
  'GET /api/v1/auth/me': 'account.self',
  'POST /api/v1/auth/password': 'account.self',
  'POST /api/v1/auth/mfa/enrolment': 'account.self',
  'POST /api/v1/auth/mfa/enrolment/confirm': 'account.self',
  'DELETE /api/v1/auth/mfa': 'account.self',
  'GET /api/v1/users': 'users.read',
  'GET /api/v1/assignable-officers': 'users.assignable',
  'POST /api/v1/users': 'users.manage',
  'GET /api/v1/users/{id}': 'users.read',
  'PATCH /api/v1/users/{id}': 'users.manage',
  'POST /api/v1/users/{id}/disable': 'users.manage',
  'POST /api/v1/users/{id}/enable': 'users.manage',
  'POST /api/v1/users/{id}/unlock': 'users.manage',
  'POST /api/v1/users/{id}/reset-password': 'users.manage',
  'POST /api/v1/users/{id}/reset-password/confirm': 'users.manage',
  'POST /api/v1/users/{id}/mfa/reset': 'users.manage',
  'POST /api/v1/users/{id}/mfa/enrolment-pass': 'users.manage',
  'GET /api/v1/users/{id}/role-changes': 'users.read',
  'POST /api/v1/users/{id}/role-changes': 'users.manage',
  'POST /api/v1/users/{id}/role-changes/{changeId}/approve': 'users.manage',
  'GET /api/v1/countries': 'reference.read',
  'POST /api/v1/countries': 'reference.manage',
  'GET /api/v1/agencies': 'reference.read',
  'POST /api/v1/agencies': 'reference.manage',
  'GET /api/v1/frameworks': 'reference.read',
  'POST /api/v1/frameworks': 'reference.manage',
  'PATCH /api/v1/frameworks/{id}': 'reference.manage',
  'PUT /api/v1/frameworks/{id}/members/{countryCode}': 'reference.manage',
  'GET /api/v1/persons': 'persons.read',
  'POST /api/v1/persons': 'persons.write',
  'GET /api/v1/persons/{id}': 'persons.read',
  'PATCH /api/v1/persons/{id}': 'persons.write',
  'GET /api/v1/cases': 'cases.read',
  'POST /api/v1/cases': 'cases.write',
  'GET /api/v1/cases/{id}': 'cases.read',
  'PATCH /api/v1/cases/{id}': 'cases.write',
  'POST /api/v1/cases/{id}/persons': 'cases.write',
  'DELETE /api/v1/cases/{id}/persons/{personId}': 'cases.write',
  'POST /api/v1/cases/{id}/shares': 'cases.share',
  'DELETE /api/v1/cases/{id}/shares/{countryCode}': 'cases.share',
  'GET /api/v1/information-requests': 'requests.read',
  'POST /api/v1/information-requests': 'requests.create',
  'GET /api/v1/information-requests/{id}': 'requests.read',
  'PATCH /api/v1/information-requests/{id}': 'requests.create',
  'POST /api/v1/information-requests/{id}/assign': 'requests.act',
  'POST /api/v1/information-requests/{id}/fulfil': 'requests.act',
  'POST /api/v1/information-requests/{id}/submit': 'requests.act',
  'POST /api/v1/information-requests/{id}/approve': 'requests.act',
  'POST /api/v1/information-requests/{id}/return': 'requests.act',
  'POST /api/v1/information-requests/{id}/withdraw': 'requests.act',
  'POST /api/v1/information-requests/{id}/accept': 'requests.act',
  'POST /api/v1/information-requests/{id}/reject': 'requests.act',
  'POST /api/v1/information-requests/{id}/close': 'requests.act',
  'GET /api/v1/information-requests/{id}/history': 'requests.read',
  'GET /api/v1/information-requests/{id}/messages': 'requests.read',
  'POST /api/v1/information-requests/{id}/messages': 'requests.act',
  'GET /api/v1/blacklist-entries': 'blacklist.read',
  'POST /api/v1/blacklist-entries': 'blacklist.propose',
  'GET /api/v1/blacklist-entries/{id}': 'blacklist.read',
  'POST /api/v1/blacklist-entries/batch': 'blacklist.propose',
  'POST /api/v1/blacklist-entries/activate': 'blacklist.decide',
  'POST /api/v1/blacklist-entries/{id}/activate': 'blacklist.decide',
  'POST /api/v1/blacklist-entries/{id}/reject': 'blacklist.decide',
  'POST /api/v1/blacklist-entries/{id}/lift': 'blacklist.decide',
  'POST /api/v1/blacklist-entries/{id}/extend': 'blacklist.decide',
  'GET /api/v1/blacklist-entries/{id}/amendments': 'blacklist.read',
  'POST /api/v1/blacklist-entries/{id}/amendments/{amendmentId}/accept': 'blacklist.decide',
  'POST /api/v1/blacklist-entries/{id}/amendments/{amendmentId}/reject': 'blacklist.decide',
  'GET /api/v1/blacklist-proposals': 'blacklist.read',
  'GET /api/v1/blacklist-proposals/{id}': 'blacklist.read',
  'PATCH /api/v1/blacklist-proposals/{id}': 'blacklist.propose',
  'POST /api/v1/blacklist-proposals/{id}/fulfil': 'requests.act',
  'POST /api/v1/blacklist-proposals/{id}/submit': 'requests.act',
  'POST /api/v1/blacklist-proposals/{id}/approve': 'requests.act',
  'POST /api/v1/blacklist-proposals/{id}/return': 'requests.act',
  'POST /api/v1/blacklist-proposals/{id}/withdraw': 'requests.act',
  'POST /api/v1/blacklist-proposals/{id}/accept': 'requests.act',
  'POST /api/v1/blacklist-proposals/{id}/reject': 'requests.act',
  'POST /api/v1/blacklist-proposals/{id}/close': 'requests.act',
  'GET /api/v1/blacklist-proposals/{id}/history': 'requests.read',
  'GET /api/v1/blacklist-proposals/{id}/messages': 'requests.read',
  'POST /api/v1/blacklist-proposals/{id}/messages': 'requests.act',
  'GET /api/v1/screenings': 'screening.read',
  'POST /api/v1/screenings': 'screening.run',
  'GET /api/v1/screenings/alerts': 'screening.alerts',
  'GET /api/v1/screenings/{id}': 'screening.read',
  'POST /api/v1/screenings/{id}/candidates/{candidateId}/decision': 'screening.run',
  'GET /api/v1/notifications': 'notifications.read',
  'POST /api/v1/notifications/read-all': 'notifications.read',
  'POST /api/v1/notifications/{id}/read': 'notifications.read',
  'GET /api/v1/webhooks': 'webhooks.manage',
  'POST /api/v1/webhooks': 'webhooks.manage',
  'POST /api/v1/webhooks/{id}/disable': 'webhooks.manage',
  'POST /api/v1/webhooks/{id}/enable': 'webhooks.manage',
  'GET /api/v1/webhooks/{id}/deliveries': 'webhooks.manage',
  'GET /api/v1/stats': 'stats.read',
  'GET /api/v1/asset-freeze-requests': 'requests.read',
  'POST /api/v1/asset-freeze-requests': 'requests.create',
  'GET /api/v1/asset-freeze-requests/{id}': 'requests.read',
  'PATCH /api/v1/asset-freeze-requests/{id}': 'requests.create',
  'POST /api/v1/asset-freeze-requests/{id}/submit': 'requests.act',
  'POST /api/v1/asset-freeze-requests/{id}/approve': 'requests.act',
  'POST /api/v1/asset-freeze-requests/{id}/return': 'requests.act',
  'POST /api/v1/asset-freeze-requests/{id}/withdraw': 'requests.act',
  'POST /api/v1/asset-freeze-requests/{id}/accept': 'requests.act',
  'POST /api/v1/asset-freeze-requests/{id}/reject': 'requests.act',
  'POST /api/v1/asset-freeze-requests/{id}/assign': 'requests.act',
  'POST /api/v1/asset-freeze-requests/{id}/fulfil': 'requests.act',
  'POST /api/v1/asset-freeze-requests/{id}/close': 'requests.act',
  'POST /api/v1/asset-freeze-requests/{id}/targets/{targetId}/freeze': 'requests.act',
  'POST /api/v1/asset-freeze-requests/{id}/targets/{targetId}/recover': 'requests.act',
  'POST /api/v1/asset-freeze-requests/{id}/targets/{targetId}/return': 'requests.act',
  'POST /api/v1/asset-freeze-requests/{id}/targets/{targetId}/release': 'requests.act',
  'POST /api/v1/asset-freeze-requests/{id}/targets/{targetId}/close-out': 'requests.act',
  'GET /api/v1/asset-freeze-requests/{id}/history': 'requests.read',
  'GET /api/v1/asset-freeze-requests/{id}/messages': 'requests.read',
  'POST /api/v1/asset-freeze-requests/{id}/messages': 'requests.act',
  'GET /api/v1/arrests': 'arrests.read',
  'POST /api/v1/arrests': 'arrests.write',
  'GET /api/v1/arrests/{id}': 'arrests.read',
  'PATCH /api/v1/arrests/{id}': 'arrests.write',
  'POST /api/v1/arrests/batch': 'arrests.write',
  'POST /api/v1/arrests/import': 'arrests.write',
  'POST /api/v1/arrests/{id}/custody': 'arrests.write',
  'GET /api/v1/arrests/{id}/custody': 'arrests.read',
  'POST /api/v1/arrests/{id}/shares': 'arrests.share',
  'GET /api/v1/cases/{id}/attachments': 'attachments.read',
  'POST /api/v1/cases/{id}/attachments': 'attachments.write',
  'GET /api/v1/cases/{id}/bundle': 'attachments.read',
  'GET /api/v1/persons/{id}/attachments': 'attachments.read',
  'POST /api/v1/persons/{id}/attachments': 'attachments.write',
  'GET /api/v1/information-requests/{id}/attachments': 'attachments.read',
  'POST /api/v1/information-requests/{id}/attachments': 'attachments.write',
  'GET /api/v1/arrests/{id}/attachments': 'attachments.read',
  'POST /api/v1/arrests/{id}/attachments': 'attachments.write',
  'GET /api/v1/asset-freeze-requests/{id}/targets/{targetId}/attachments': 'attachments.read',
  'POST /api/v1/asset-freeze-requests/{id}/targets/{targetId}/attachments': 'attachments.write',
  'GET /api/v1/blacklist-entries/{id}/attachments': 'attachments.read',
  'POST /api/v1/blacklist-entries/{id}/attachments': 'attachments.write',
  'GET /api/v1/attachments/{id}': 'attachments.read',
  'GET /api/v1/attachments/{id}/content': 'attachments.read',
  'POST /api/v1/attachments/{id}/verify': 'attachments.read',
  'POST /api/v1/attachments/{id}/withdraw': 'attachments.write',
  'GET /api/v1/repatriation-requests': 'requests.read',
  'POST /api/v1/repatriation-requests': 'requests.create',
  'GET /api/v1/repatriation-requests/{id}': 'requests.read',
  'PATCH /api/v1/repatriation-requests/{id}': 'requests.create',
  'POST /api/v1/repatriation-requests/{id}/submit': 'requests.act',
  'POST /api/v1/repatriation-requests/{id}/approve': 'requests.act',
  'POST /api/v1/repatriation-requests/{id}/return': 'requests.act',
  'POST /api/v1/repatriation-requests/{id}/withdraw': 'requests.act',
  'POST /api/v1/repatriation-requests/{id}/accept': 'requests.act',
  'POST /api/v1/repatriation-requests/{id}/reject': 'requests.act',
  'POST /api/v1/repatriation-requests/{id}/schedule': 'requests.act',
  'GET /api/v1/repatriation-requests/{id}/schedules': 'requests.read',
  'POST /api/v1/repatriation-requests/{id}/handover': 'requests.act',
  'POST /api/v1/repatriation-requests/{id}/confirm-handover': 'requests.act',
  'POST /api/v1/repatriation-requests/{id}/drop': 'requests.act',
  'POST /api/v1/repatriation-requests/{id}/fulfil': 'requests.act',
  'POST /api/v1/repatriation-requests/{id}/close': 'requests.act',
  'GET /api/v1/repatriation-requests/{id}/history': 'requests.read',
  'GET /api/v1/repatriation-requests/{id}/messages': 'requests.read',
  'POST /api/v1/repatriation-requests/{id}/messages': 'requests.act',
  'GET /api/v1/release-requests': 'requests.read',
  'POST /api/v1/release-requests': 'requests.create',
  'GET /api/v1/release-requests/{id}': 'requests.read',
  'PATCH /api/v1/release-requests/{id}': 'requests.create',
  'POST /api/v1/release-requests/{id}/submit': 'requests.act',
  'POST /api/v1/release-requests/{id}/approve': 'requests.act',
  'POST /api/v1/release-requests/{id}/return': 'requests.act',
  'POST /api/v1/release-requests/{id}/withdraw': 'requests.act',
  'POST /api/v1/release-requests/{id}/accept': 'requests.act',
  'POST /api/v1/release-requests/{id}/reject': 'requests.act',
  'POST /api/v1/release-requests/{id}/fulfil': 'requests.act',
  'POST /api/v1/release-requests/{id}/close': 'requests.act',
  'GET /api/v1/release-requests/{id}/history': 'requests.read',
  'GET /api/v1/release-requests/{id}/messages': 'requests.read',
  'POST /api/v1/release-requests/{id}/messages': 'requests.act',
  'GET /api/v1/identifiers/seen-in': 'identifiers.read',
  'POST /api/v1/identifier-checks': 'identifier-checks.run',
  'GET /api/v1/identifier-checks': 'identifier-checks.read',
  'GET /api/v1/identifier-checks/settings': 'identifier-checks.settings',
  'PUT /api/v1/identifier-checks/settings/{frameworkId}': 'identifier-checks.settings',
  'GET /api/v1/identifier-checks/{id}': 'identifier-checks.read',
  'POST /api/v1/identifier-checks/{id}/follow-ups': 'requests.create',
};

/** Workflow steps that only the origin country takes: never 2xx for the target country. */
export const ORIGIN_ONLY_STEPS = new Set(['submit', 'approve', 'return', 'withdraw', 'close']);

export interface Caller {
  username: string;
  roles: readonly Role[];
  /** `null` for the platform admin. */
  country: string | null;
}

export interface RecordUnderTest {
  kind: string;
  id: string;
  owner: string | null;
  /** Countries that may see the record (owner, target of a sent request, explicit share). */
  visibleTo: readonly string[];
  /** Records that every holder of the permission sees (reference data; users for the platform admin). */
  global?: boolean;
}

export type Expectation =
  | { outcome: 'unauthenticated'; statuses: number[] }
  | { outcome: 'forbidden'; statuses: number[] }
  | { outcome: 'hidden'; statuses: number[] }
  /** Visible, but a step of the other side: any refusal, never 2xx. */
  | { outcome: 'refused'; statuses: number[] }
  /** The table allows it; the call may succeed or fail on its merits (never 500). */
  | { outcome: 'allowed'; statuses: number[] };

export function holds(roles: readonly Role[], permission: Permission): boolean {
  const allowed: readonly Role[] = PERMISSIONS[permission];
  return roles.some((r) => allowed.includes(r));
}

export function expectationFor(route: string, caller: Caller | null, record?: RecordUnderTest): Expectation {
  const permission = ROUTE_PERMISSIONS[route];
  if (permission === undefined) throw new Error(`${route} is missing from ROUTE_PERMISSIONS`);
  if (permission === 'public') return { outcome: 'allowed', statuses: [] };
  if (!caller) return { outcome: 'unauthenticated', statuses: [401] };
  if (!holds(caller.roles, permission)) return { outcome: 'forbidden', statuses: [403] };
  if (!record) return { outcome: 'allowed', statuses: [] };
  const visible =
    record.global ||
    (caller.country !== null && record.visibleTo.includes(caller.country)) ||
    (caller.country === null && record.kind === 'user');
  if (!visible) return { outcome: 'hidden', statuses: [404] };
  const step = route.split('/').pop() ?? '';
  const originSide = caller.country === record.owner;
  if (
    record.kind.endsWith('request') &&
    !originSide &&
    ORIGIN_ONLY_STEPS.has(step) &&
    route.startsWith('POST')
  )
    return { outcome: 'refused', statuses: [400, 403, 404, 409] };
  // Only the origin edits a request, and only while it is a draft (which the target never sees).
  if (
    (record.kind.endsWith('request') || record.kind === 'blacklist-proposal') &&
    !originSide &&
    route.startsWith('PATCH')
  )
    return { outcome: 'refused', statuses: [400, 403, 404, 409] };
  return { outcome: 'allowed', statuses: [] };
}
