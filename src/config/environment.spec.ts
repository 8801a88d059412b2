import { replicaUrls, trustedProxies, validateEnvironment } from './environment';

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

  it('reads no replica by default, and refuses replicas without DATABASE_URL or with a bad URL', () => {
    expect(replicaUrls(validateEnvironment({}).DATABASE_REPLICA_URLS)).toEqual([]);
    expect(validateEnvironment({}).DATABASE_REPLICA_MAX_LAG_MS).toBe(5000);
    const primary = { DATABASE_URL: 'postgres://app@db/desk' };
    const env = validateEnvironment({
      ...primary,
      DATABASE_REPLICA_URLS: 'postgres://app@r1/desk, postgresql://app@r2/desk',
      DATABASE_REPLICA_MAX_LAG_MS: '750',
    });
    expect(replicaUrls(env.DATABASE_REPLICA_URLS)).toEqual(['postgres://app@r1/desk', 'postgresql://app@r2/desk']);
    expect(env.DATABASE_REPLICA_MAX_LAG_MS).toBe(750);
    expect(() => validateEnvironment({ DATABASE_REPLICA_URLS: 'postgres://app@r1/desk' })).toThrow(
      /needs DATABASE_URL/,
    );
    expect(() => validateEnvironment({ ...primary, DATABASE_REPLICA_URLS: 'r1:5432' })).toThrow(
      /DATABASE_REPLICA_URLS: "r1:5432"/,
    );
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

  it('takes upload and idle-transaction timeouts in ms, and refuses nonsense or a total below the idle one', () => {
    const env = validateEnvironment({
      UPLOAD_IDLE_TIMEOUT_MS: '2000',
      UPLOAD_TOTAL_TIMEOUT_MS: '30000',
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '0',
    });
    expect([env.UPLOAD_IDLE_TIMEOUT_MS, env.UPLOAD_TOTAL_TIMEOUT_MS]).toEqual([2000, 30000]);
    expect(env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS).toBe(0);
    expect(() => validateEnvironment({ UPLOAD_IDLE_TIMEOUT_MS: 'soon' })).toThrow(/UPLOAD_IDLE_TIMEOUT_MS/);
    expect(() =>
      validateEnvironment({ UPLOAD_IDLE_TIMEOUT_MS: '5000', UPLOAD_TOTAL_TIMEOUT_MS: '1000' }),
    ).toThrow(/UPLOAD_TOTAL_TIMEOUT_MS: must be at least UPLOAD_IDLE_TIMEOUT_MS/);
    expect(() => validateEnvironment({ DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '-1' })).toThrow(
      /DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS/,
    );
  });

  it('takes a postgres:// MIGRATION_DATABASE_URL and refuses anything else', () => {
    expect(validateEnvironment({}).MIGRATION_DATABASE_URL).toBeUndefined();
    expect(
      validateEnvironment({ MIGRATION_DATABASE_URL: 'postgres://owner@db/case_desk' }).MIGRATION_DATABASE_URL,
    ).toBe('postgres://owner@db/case_desk');
    expect(() => validateEnvironment({ MIGRATION_DATABASE_URL: 'mysql://x' })).toThrow(
      /MIGRATION_DATABASE_URL/,
    );
  });

  it('takes a redis:// REDIS_URL, treats an empty one as unset, and refuses anything else', () => {
    expect(validateEnvironment({ REDIS_URL: '' }).REDIS_URL).toBeUndefined();
    expect(validateEnvironment({ REDIS_URL: 'redis://127.0.0.1:6379' }).REDIS_URL).toBe(
      'redis://127.0.0.1:6379',
    );
    expect(() => validateEnvironment({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL/);
  });
});
