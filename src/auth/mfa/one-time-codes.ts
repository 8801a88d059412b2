import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { generateSecret, generateURI, verifySync } from 'otplib';

/** What authenticator apps show as the account's issuer. */
export const TOTP_ISSUER = 'Task Force Case Desk';
const PERIOD_SECONDS = 30;
/** A code of the time step before or after the current one is accepted too (clock drift, typing time). */
const TOLERANCE_SECONDS = PERIOD_SECONDS;
const TOTP_CODE = /^[0-9]{6}$/;

/** A new TOTP secret (20 random bytes, base32) and the `otpauth://` URL an authenticator app scans. */
export function newTotpSecret(username: string): { secret: string; otpauthUrl: string } {
  const secret = generateSecret({ length: 20 });
  return { secret, otpauthUrl: generateURI({ issuer: TOTP_ISSUER, label: username, secret }) };
}

/**
 * RFC 6238 (HMAC-SHA1, 30 s, 6 digits) within ±1 time step of `now`, and only a step after
 * `afterTimeStep` (the last accepted one: no code is accepted twice). Answers the matched time step, or
 * null. Anything but six digits is simply not a code (never an error).
 */
export function matchTotp(
  secret: string,
  code: string,
  now: Date,
  afterTimeStep: number | null,
): number | null {
  if (!TOTP_CODE.test(code)) return null;
  const result = verifySync({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: TOLERANCE_SECONDS,
    ...(afterTimeStep === null ? {} : { afterTimeStep }),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

export function looksLikeTotp(code: string): boolean {
  return TOTP_CODE.test(code);
}

/** Recovery codes: 16 characters of an unambiguous alphabet (80 bits), shown as four groups of four. */
const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const RECOVERY_LENGTH = 16;
export const RECOVERY_CODE_COUNT = 10;

export function newRecoveryCode(): string {
  const chars = Array.from(
    { length: RECOVERY_LENGTH },
    () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)],
  );
  return chars.join('').replace(/(.{4})(?=.)/g, '$1-');
}

/** The compared form of a typed recovery code (case, spaces and dashes ignored), or null: not one. */
export function normaliseRecoveryCode(code: string): string | null {
  const compact = code.replace(/[\s-]/g, '').toUpperCase();
  return compact.length === RECOVERY_LENGTH && [...compact].every((c) => RECOVERY_ALPHABET.includes(c))
    ? compact
    : null;
}

/**
 * Salted SHA-256: the codes carry 80 random bits, so a slow hash adds nothing against guessing, and a
 * sign-in compares up to ten of them.
 */
export function hashRecoveryCode(
  normalised: string,
  salt = randomBytes(16).toString('base64url'),
): {
  salt: string;
  hash: string;
} {
  return { salt, hash: createHash('sha256').update(`${salt}:${normalised}`).digest('base64url') };
}

export function recoveryCodeMatches(normalised: string, salt: string, hash: string): boolean {
  const computed = Buffer.from(hashRecoveryCode(normalised, salt).hash);
  const stored = Buffer.from(hash);
  return computed.length === stored.length && timingSafeEqual(computed, stored);
}
