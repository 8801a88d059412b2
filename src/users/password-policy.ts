import { dictionary } from '@zxcvbn-ts/language-common';
import { trivialSecretProblem } from '../common/http/validators';

/** ~49,000 of the most common passwords, from the maintained zxcvbn-ts dictionary. */
const COMMON_PASSWORDS = new Set<string>(
  (dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()),
);

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * NIST SP 800-63B style: length 12–128 counted in characters, spaces allowed, nothing truncated, no
 * composition rules, and no password that attackers try first — the common ones, and (800-63B's
 * "repetitive characters") one character over and over, or nothing visible at all (twelve zero-width
 * spaces passed the length rule). Returns the reason, or null when fine.
 */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return 'is too common; choose another';
  return trivialSecretProblem(password);
}
