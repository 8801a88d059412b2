import { trustedProxies, validateEnvironment } from './environment';

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

  it('trusts no proxy by default, and refuses a TRUSTED_PROXIES entry that is not an IP or a CIDR', () => {
    expect(validateEnvironment({}).TRUSTED_PROXIES).toBe('');
    expect(trustedProxies(validateEnvironment({}).TRUSTED_PROXIES)).toEqual([]);
    expect(
      trustedProxies(
        validateEnvironment({ TRUSTED_PROXIES: '10.0.0.1, 10.1.0.0/16,fd00::/8' }).TRUSTED_PROXIES,
      ),
    ).toEqual(['10.0.0.1', '10.1.0.0/16', 'fd00::/8']);
    for (const bad of ['*', 'true', 'loadbalancer', '10.0.0.0/33', '127.1', '10.0.0.1/8/8'])
      expect(() => validateEnvironment({ TRUSTED_PROXIES: bad })).toThrow(/TRUSTED_PROXIES/);
  });

  it('refuses a WEBHOOK_ALLOWED_HOSTS entry that is not a host name, an IP or a CIDR', () => {
    expect(
      validateEnvironment({ WEBHOOK_ALLOWED_HOSTS: 'hooks.internal, 10.0.0.0/8, ::1' }).WEBHOOK_ALLOWED_HOSTS,
    ).toBe('hooks.internal, 10.0.0.0/8, ::1');
    for (const bad of ['http://hooks.internal/', '10.0.0.0/40', 'under_score..x'])
      expect(() => validateEnvironment({ WEBHOOK_ALLOWED_HOSTS: bad })).toThrow(/WEBHOOK_ALLOWED_HOSTS/);
  });
});
