import { PLATFORM_ADMIN, Role } from './roles';

/**
 * What each role may do, in one table. A handler names the permission it needs with
 * `@RequirePermission(...)`; which *records* the caller may touch is the access module's question.
 */
export const PERMISSIONS = {
  'account.self': ['officer', 'liaison', 'screener', 'auditor', 'admin', PLATFORM_ADMIN],
  'reference.read': ['officer', 'liaison', 'screener', 'auditor', 'admin', PLATFORM_ADMIN],
  'reference.manage': [PLATFORM_ADMIN],
  'users.read': ['admin', PLATFORM_ADMIN],
  'users.manage': ['admin', PLATFORM_ADMIN],
  // Whom to assign a request to, or name as a case's lead: officers and liaisons of the same country.
  'users.assignable': ['officer', 'liaison'],
  'audit.read': ['auditor'],
  // The chain holds every country's events: its positions and checkpoints are the operator's to read.
  'audit.verify': ['auditor', PLATFORM_ADMIN],
  'audit.chain': [PLATFORM_ADMIN],
  'cases.read': ['officer', 'liaison', 'auditor'],
  'cases.write': ['officer'],
  'cases.share': ['liaison'],
  'persons.read': ['officer', 'liaison', 'auditor'],
  'persons.write': ['officer'],
  'requests.read': ['officer', 'liaison', 'auditor'],
  'requests.create': ['officer'],
  'requests.act': ['officer', 'liaison'],
  'blacklist.read': ['officer', 'liaison', 'auditor'],
  'blacklist.propose': ['officer'],
  'blacklist.decide': ['liaison'],
  'screening.run': ['screener', 'officer', 'liaison'],
  // A country's screenings, one or the list: those who run them, and its auditors (who change nothing).
  'screening.read': ['screener', 'officer', 'liaison', 'auditor'],
  'screening.alerts': ['liaison'],
  'notifications.read': ['officer', 'liaison', 'screener', 'auditor', 'admin'],
  'webhooks.manage': ['admin'],
  'stats.read': ['officer', 'liaison', 'auditor'],
  'arrests.read': ['officer', 'liaison', 'auditor'],
  'arrests.write': ['officer'],
  'arrests.share': ['liaison'],
  'attachments.read': ['officer', 'liaison', 'auditor'],
  'attachments.write': ['officer'],
  // Where an identifier is seen, among what the country may read; hit/no-hit checks against partners.
  'identifiers.read': ['officer', 'liaison', 'auditor'],
  'identifier-checks.run': ['officer', 'liaison'],
  'identifier-checks.read': ['officer', 'liaison', 'auditor'],
  // Whether the country answers partners' checks automatically, per framework.
  'identifier-checks.settings': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function rolesGrant(roles: readonly Role[], permission: Permission): boolean {
  const allowed: readonly Role[] = PERMISSIONS[permission];
  return roles.some((role) => allowed.includes(role));
}
