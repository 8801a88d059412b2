import { hotp, totpCode } from '../../../test/support/totp';
import {
  hashRecoveryCode,
  matchTotp,
  newRecoveryCode,
  newTotpSecret,
  normaliseRecoveryCode,
  recoveryCodeMatches,
} from './one-time-codes';

describe('one-time codes', () => {
  it('the independent RFC 6238 helper gives the RFC test vector (SHA-1, T = 59 s: 94287082)', () => {
    expect(hotp(Buffer.from('12345678901234567890'), 1, 8)).toBe('94287082');
  });

  it('accepts the current code and one time step either side, not two; never an earlier or reused step', () => {
    const { secret, otpauthUrl } = newTotpSecret('kr.officer');
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/Task%20Force%20Case%20Desk:kr\.officer\?secret=/);
    const now = new Date('2026-03-01T10:00:10Z');
    const step = Math.floor(now.getTime() / 30_000);
    expect(matchTotp(secret, totpCode(secret, now.getTime()), now, null)).toBe(step);
    expect(matchTotp(secret, totpCode(secret, now.getTime(), -1), now, null)).toBe(step - 1);
    expect(matchTotp(secret, totpCode(secret, now.getTime(), 1), now, null)).toBe(step + 1);
    expect(matchTotp(secret, totpCode(secret, now.getTime(), -2), now, null)).toBeNull();
    expect(matchTotp(secret, totpCode(secret, now.getTime(), 2), now, null)).toBeNull();
    expect(matchTotp(secret, totpCode(secret, now.getTime()), now, step)).toBeNull();
    expect(matchTotp(secret, totpCode(secret, now.getTime(), -1), now, step)).toBeNull();
  });

  it('anything but six digits is not a code, never an error', () => {
    const { secret } = newTotpSecret('kr.officer');
    for (const code of [
      '1234567',
      '12345',
      '12a456',
      '',
      '\u0000\u0000\u0000\u0000\u0000\u0000',
      '１２３４５６',
    ])
      expect(matchTotp(secret, code, new Date(), null)).toBeNull();
  });

  it('recovery codes: 80 random bits, typed in any case with or without dashes, matched by salted hash', () => {
    const code = newRecoveryCode();
    expect(code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    const normalised = normaliseRecoveryCode(code)!;
    const stored = hashRecoveryCode(normalised);
    expect(stored.hash).not.toContain(normalised);
    expect(
      recoveryCodeMatches(
        normaliseRecoveryCode(code.toLowerCase().replace(/-/g, ' '))!,
        stored.salt,
        stored.hash,
      ),
    ).toBe(true);
    expect(recoveryCodeMatches(normaliseRecoveryCode(newRecoveryCode())!, stored.salt, stored.hash)).toBe(
      false,
    );
    expect(normaliseRecoveryCode('x'.repeat(64))).toBeNull();
  });
});
