/**
 * The one spelling of a username: 3–64 characters of a-z, 0-9, `.`, `_`, `-`, starting with a letter or
 * digit. Sign-in and account creation both normalise (trim, lower-case) and then check it against this,
 * once, so a look-alike (`kr.offİcer2`, full-width letters, a trailing NUL) is refused instead of being
 * folded onto a real account by the database's `lower()` or landing in a rate-limit bucket of its own.
 */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,63}$/;
export const USERNAME_MESSAGE = 'username must be 3–64 characters of a-z, 0-9, ".", "_" or "-"';

/**
 * Trims a string and lower-cases its ASCII capitals; anything else is left for the pattern to refuse.
 * `toLowerCase()` also folds U+212A KELVIN SIGN to `k`, which let `Kr.officer2` (with the Kelvin sign)
 * sign in to `kr.officer2` (probe input r5).
 */
export const normaliseUsername = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().replace(/[A-Z]+/g, (capitals) => capitals.toLowerCase()) : value;

/**
 * A new account's username starts with its country's code and a dot (`kh.officer3`). Each country then
 * has a namespace of its own: an admin choosing a name can only ever collide with an account of their
 * own country, so "this username is taken" tells nothing about another country's staff.
 */
export function usernamePrefixProblem(username: string, countryCode: string): string | null {
  const prefix = `${countryCode.toLowerCase()}.`;
  return username.startsWith(prefix) && username.length > prefix.length
    ? null
    : `username must start with '${prefix}', the code of the account's country`;
}

/**
 * The country a username claims by its prefix (`kh.` → `KH`), or null without one. Used only to route
 * the audit of a sign-in with an unknown username to that country's auditors: the name is in its
 * namespace, so nobody else learns of the attempt.
 */
export function usernamePrefixCountry(username: string): string | null {
  const match = /^([a-z]{2})\./.exec(username);
  return match ? match[1]!.toUpperCase() : null;
}
