import { validateEnvironment } from './environment';

describe('validateEnvironment', () => {
  const production = { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-chars' };

  it('refuses the test-only deadline scan timer in production, and takes it elsewhere', () => {
    expect(() => validateEnvironment({ ...production, TEST_DEADLINE_SCAN_INTERVAL_MS: '200' })).toThrow(
      /TEST_DEADLINE_SCAN_INTERVAL_MS: refused when NODE_ENV=production/,
    );
    expect(validateEnvironment(production).TEST_DEADLINE_SCAN_INTERVAL_MS).toBeUndefined();
    expect(
      validateEnvironment({ NODE_ENV: 'test', TEST_DEADLINE_SCAN_INTERVAL_MS: '200' })
        .TEST_DEADLINE_SCAN_INTERVAL_MS,
    ).toBe(200);
  });
});
