import type { Actor } from '../common/request-context';
import { PLATFORM_ADMIN } from '../common/permissions/roles';

/**
 * Which user accounts an actor may see and manage, as SQL over `app_user` aliased `u`:
 * a country's admin sees that country's accounts; the platform administrator sees admin accounts only.
 */
export function userScope(actor: Actor): { sql: string; params: Record<string, unknown> } {
  if (actor.roles.includes('admin') && actor.countryCode) {
    return { sql: 'u.country_code = :scopeCountry', params: { scopeCountry: actor.countryCode } };
  }
  if (actor.roles.includes(PLATFORM_ADMIN)) return { sql: `'admin' = ANY(u.roles)`, params: {} };
  return { sql: 'false', params: {} };
}
