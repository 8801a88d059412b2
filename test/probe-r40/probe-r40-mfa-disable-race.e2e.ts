import { MfaCodesService } from '../../src/auth/mfa/mfa-codes.service';
import { TEST_DEMO_PASSWORD } from '../support/demo-password';
import { signIn, SignedIn } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';
import { totpCode } from '../support/totp';

/**
 * Probe r40, finding 2: turning the second factor off (`DELETE /auth/mfa`) checks the code, then turns
 * it off in a transaction of its own. What happened in between was not looked at: an admin's reset (or a
 * second `DELETE` with another code) landing there turned it off first, and the late request still
 * answered 204 and wrote `auth.mfa.disable` — an event for a change it did not make, and two requests
 * that both "won" one change. Now the late one finds it off and answers 409, writing nothing.
 *
 * The interleaving is made deterministic by running the other request inside the code check of the
 * first (`MfaCodesService.use`, the step before the turning off).
 */
describe('Probe r40: turning the second factor off while someone else does', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Said empty: the case files of a folder share process.env.
    t = await createTestApp({}, { MFA_REQUIRED_ROLES: '' });
  });
  afterAll(() => t?.close());
  afterEach(() => jest.restoreAllMocks());

  async function enrol(user: SignedIn): Promise<{ secret: string; recoveryCodes: string[] }> {
    const { secret } = (await user.post('/auth/mfa/enrolment').expect(201)).body as { secret: string };
    const confirmed = await user
      .post('/auth/mfa/enrolment/confirm', { code: totpCode(secret), currentPassword: TEST_DEMO_PASSWORD })
      .expect(200);
    return { secret, recoveryCodes: (confirmed.body as { recoveryCodes: string[] }).recoveryCodes };
  }
  const userId = async (username: string) =>
    (await t.dataSource.query(`SELECT id FROM app_user WHERE username = $1`, [username]))[0].id as string;
  const eventsOf = async (id: string) =>
    (
      (await t.dataSource.query(
        `SELECT action FROM audit_event WHERE record_id = $1 AND action IN ('auth.mfa.disable', 'user.mfa.reset') ORDER BY id`,
        [id],
      )) as Array<{ action: string }>
    ).map((e) => e.action);

  /** Runs `meanwhile` once, right after the next code check of the app (before the turning off). */
  function afterNextCodeCheck(meanwhile: () => Promise<unknown>) {
    const codes = t.app.get(MfaCodesService);
    const use = codes.use.bind(codes);
    let pending = true;
    return jest.spyOn(codes, 'use').mockImplementation(async (...args: Parameters<typeof use>) => {
      const factor = await use(...args);
      if (pending) {
        pending = false;
        await meanwhile();
      }
      return factor;
    });
  }

  it('FINDING 2: an admin’s reset between the code check and the turning off: the owner’s request answers 409 and writes no event', async () => {
    const owner = await signIn(t.server, 'kr.officer2');
    const { secret } = await enrol(owner);
    const id = await userId('kr.officer2');
    const admin = await signIn(t.server, 'kr.admin');
    afterNextCodeCheck(() => admin.post(`/users/${id}/mfa/reset`).expect(204));

    const res = await owner.delete('/auth/mfa', { code: totpCode(secret, Date.now(), 1) });

    // On main: 204, and the trail said both the admin and the owner turned it off.
    expect({ status: res.status, type: res.body.type }).toEqual({
      status: 409,
      type: 'urn:case-desk:problem:conflict',
    });
    expect(await eventsOf(id)).toEqual(['user.mfa.reset']);
    const [row] = await t.dataSource.query(`SELECT mfa_enabled_at FROM app_user WHERE id = $1`, [id]);
    expect(row.mfa_enabled_at).toBeNull();
  });

  it('FINDING 2: two requests turning it off at once (a code and a recovery code): one 204, one 409, one event', async () => {
    const owner = await signIn(t.server, 'kh.officer2');
    const { secret, recoveryCodes } = await enrol(owner);
    const id = await userId('kh.officer2');
    let second: { status: number } | undefined;
    afterNextCodeCheck(async () => {
      second = await owner.delete('/auth/mfa', { code: recoveryCodes[0]! });
    });

    const first = await owner.delete('/auth/mfa', { code: totpCode(secret, Date.now(), 1) });

    expect([second?.status, first.status]).toEqual([204, 409]);
    expect(await eventsOf(id)).toEqual(['auth.mfa.disable']);
  });

  it('GUARD: without a race, the owner turns it off with a code (204, one event)', async () => {
    const owner = await signIn(t.server, 'my.officer2');
    const { secret } = await enrol(owner);
    const id = await userId('my.officer2');
    await owner.delete('/auth/mfa', { code: totpCode(secret, Date.now(), 1) }).expect(204);
    expect(await eventsOf(id)).toEqual(['auth.mfa.disable']);
    await owner.delete('/auth/mfa', { code: totpCode(secret, Date.now(), 1) }).expect(409);
  });
});
