import { createSecretKey } from 'node:crypto';
import { MfaSecretBox } from './mfa-secret-box';

describe('MfaSecretBox', () => {
  const userId = '0b9f4a0e-8f39-4c39-9d3a-4f3f1b2a6c11';
  const box = new MfaSecretBox(Buffer.from('an encryption key of at least 32 characters'));

  it('seals so the stored text does not contain the secret, and opens it for the same user only', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', userId);
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed, userId)).toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    expect(box.open(sealed, '7d3c1e6a-1111-4c39-9d3a-4f3f1b2a6c11')).toBeNull();
    expect(
      new MfaSecretBox(Buffer.from('another key of at least thirty-two characters')).open(sealed, userId),
    ).toBeNull();
    expect(box.open('v1:garbage', userId)).toBeNull();
    expect(box.open('not sealed at all', userId)).toBeNull();
  });

  it('without MFA_ENCRYPTION_KEY derives its key from the access-token key', () => {
    const jwtKey = createSecretKey(Buffer.from('test-secret-that-is-long-enough-for-hs256-0123456789'));
    const sealed = MfaSecretBox.fromConfig(undefined, jwtKey).seal('SECRET', userId);
    expect(MfaSecretBox.fromConfig(undefined, jwtKey).open(sealed, userId)).toBe('SECRET');
    expect(
      MfaSecretBox.fromConfig('a separate key of at least 32 characters!', jwtKey).open(sealed, userId),
    ).toBeNull();
  });
});
