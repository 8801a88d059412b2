import request from 'supertest';
import { signIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 13): one admin alone turns an active officer's account into a reader whose password it
 * knows, and reads a partner's shared case through it. Four eyes guard every other way an admin could
 * get one: an account a country admin creates starts `disabled` and is enabled by a second admin (its
 * creator gets 403), and a role that widens access needs a second admin (README "Role changes: four
 * eyes": "so no admin alone makes a reader whose password it knows"). But
 * `POST /users/:id/reset-password` (src/users/users.service.ts `resetPassword`) sets the password the
 * admin chose on an account that stays `active`, with no second admin and no change forced at the next
 * sign-in: KR's admin, who "reads no case content", resets `kr.officer2`'s password, signs in with it
 * and reads the case KH shared with Korea (`GET /cases/:id` 200, the case's title included).
 * Fix: a reset by an admin leaves the account unable to read until a second admin of the country
 * confirms it (as `enable` does for a new account), or until the user sets a password of their own.
 */
describe('Probe r13: a password reset gives one admin alone a reader account', () => {
  let t: TestApp;
  let tf: TaskForce;
  let caseId: string;
  let readWithResetPassword: { status: number; title?: string };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    caseId = (await tf['kh.officer'].post('/cases', { title: 'Bavet compound raid plan' }).expect(201)).body
      .id;
    await tf['kh.liaison'].post(`/cases/${caseId}/shares`, { countryCode: 'KR' }).expect(201);
    const admin = await signIn(t.server, 'kr.admin');
    await admin.get(`/cases/${caseId}`).expect(403);
    const chosen = 'a password only the admin knows 77';
    await admin
      .post(`/users/${await tf.userId('kr.officer2')}/reset-password`, { newPassword: chosen })
      .expect(204);
    const login = await request(t.server)
      .post('/api/v1/auth/login')
      .send({ username: 'kr.officer2', password: chosen });
    if (login.status !== 200) {
      readWithResetPassword = { status: login.status };
      return;
    }
    const read = await request(t.server)
      .get(`/api/v1/cases/${caseId}`)
      .set('Authorization', `Bearer ${login.body.accessToken}`);
    readWithResetPassword = { status: read.status, title: read.body.title };
  }, 120_000);
  afterAll(() => t?.close());

  it('the admin reads no case content itself, nor through an account it alone set the password of', () => {
    expect(readWithResetPassword.title).toBeUndefined();
    expect(readWithResetPassword.status).not.toBe(200);
  });
});
