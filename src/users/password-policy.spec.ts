import { trivialSecretProblem } from '../common/http/validators';
import { passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  it('refuses short, long, common, repeated and invisible passwords, naming why', () => {
    expect(passwordProblem('short')).toBe('must be at least 12 characters');
    expect(passwordProblem('x'.repeat(129))).toBe('must be at most 128 characters');
    expect(passwordProblem('password1234')).toBe('is too common; choose another');
    expect(passwordProblem('a'.repeat(12))).toBe('must not be one character repeated');
    expect(passwordProblem('\u200b'.repeat(12))).toBe('must not be one character repeated');
    expect(passwordProblem('\u200b\u200c\u200d\u2060'.repeat(3))).toBe('must contain a visible character');
  });

  it('accepts a long passphrase in any script, spaces included', () => {
    expect(passwordProblem('correct horse battery staple')).toBeNull();
    expect(passwordProblem('캄보디아 합동수사 2026 봄')).toBeNull();
  });
});

describe('trivialSecretProblem', () => {
  it('leaves a random secret alone', () => {
    expect(trivialSecretProblem('k3J9x0Qv7LmN2pR8sT4uW6yZ1aB5cD0e')).toBeNull();
  });
});
