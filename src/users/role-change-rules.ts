import type { Actor } from '../common/request-context';
import type { Role } from '../common/permissions/roles';

/**
 * Who may change whose roles, as pure rules:
 * - the platform administrator never changes roles (it manages admin accounts' status only);
 * - nobody changes their own roles;
 * - a change that adds any role widens access and needs a second admin of the same country (four
 *   eyes); a change that only removes roles applies at once.
 */
export function widensAccess(from: readonly Role[], to: readonly Role[]): boolean {
  return to.some((role) => !from.includes(role));
}

export function sameRoles(a: readonly Role[], b: readonly Role[]): boolean {
  return a.length === b.length && a.every((role) => b.includes(role));
}

/** A country admin (not the platform administrator alone) may ask for or approve role changes. */
export function isCountryAdmin(actor: Actor): actor is Actor & { countryCode: string } {
  return actor.roles.includes('admin') && actor.countryCode !== null;
}

/** Why the actor may not approve this change, or null when it may. */
export function approvalProblem(
  actor: Actor,
  change: { userId: string; requestedBy: string; countryCode: string },
): string | null {
  if (!isCountryAdmin(actor) || actor.countryCode !== change.countryCode)
    return 'Only an admin of the account’s country approves its role changes.';
  if (actor.userId === change.userId) return 'Nobody changes their own roles.';
  if (actor.userId === change.requestedBy)
    return 'A second admin of the country must approve a change that widens access.';
  return null;
}
