import request from 'supertest';
import { SignInAddressesSweepService } from '../../src/users/sign-in-addresses-sweep.service';
import { TEST_DEMO_PASSWORD } from '../support/demo-password';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The addresses an account signed in from (its own lockout, probe r28) are personal data: kept while
 * they count (30 days after the last sign-in from them), then forgotten by the hourly sweep, also for
 * accounts that never sign in again.
 */
describe('Sign-in addresses are forgotten once they no longer count', () => {
  let t: TestApp;
  const signInFrom = (address: string, username: string) =>
    request(t.server)
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', address)
      .send({ username, password: TEST_DEMO_PASSWORD })
      .expect(200);
  const addresses = async () =>
    (
      (await t.dataSource.query(
        `SELECT u.username, a.address FROM sign_in_address a JOIN app_user u ON u.id = a.user_id
          ORDER BY u.username, a.address`,
      )) as Array<{ username: string; address: string }>
    ).map((r) => `${r.username} ${r.address}`);

  beforeAll(async () => {
    t = await createTestApp({}, { TRUSTED_PROXIES: '127.0.0.1/32, ::1' });
  });
  afterAll(() => t.close());

  it('keeps the addresses of the last 30 days and forgets older ones', async () => {
    await signInFrom('198.51.100.10', 'kh.liaison');
    await signInFrom('198.51.100.11', 'kh.liaison');
    await signInFrom('203.0.113.20', 'kr.officer');
    // kh.liaison last used .10 31 days ago, kr.officer its address 29 days ago.
    await t.dataSource.query(
      `UPDATE sign_in_address a SET last_signed_in_at = now() - interval '31 days'
         FROM app_user u WHERE u.id = a.user_id AND u.username = 'kh.liaison' AND a.address = '198.51.100.10'`,
    );
    await t.dataSource.query(
      `UPDATE sign_in_address a SET last_signed_in_at = now() - interval '29 days'
         FROM app_user u WHERE u.id = a.user_id AND u.username = 'kr.officer'`,
    );

    expect(await t.app.get(SignInAddressesSweepService).sweep()).toBe(1);
    expect(await addresses()).toEqual(['kh.liaison 198.51.100.11', 'kr.officer 203.0.113.20']);
  });
});
