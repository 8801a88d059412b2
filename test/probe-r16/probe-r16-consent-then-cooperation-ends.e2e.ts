import { identifiersKhGaveKr, frameworkId, personKhGaveKr } from '../sharing/support';
import { givenIn } from '../support/given';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r16, held (regression): KH consented to KR passing a number (and a person) on to MY; then the
 * Korea–Malaysia framework ends. Nothing more goes to MY under the old consent: a new share is refused
 * (400, no active framework), and so is writing the consented number into a case shared with MY before
 * the end (409 `no-active-framework`). MY reads neither.
 */
describe('Probe r16 (held): consent, then the framework between holder and recipient ends', () => {
  let t: TestApp;
  let tf: TaskForce;
  let admin: SignedIn;
  let krMy: string;
  const consented = '+85588200111';
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    admin = await signIn(t.server, 'platform.admin');
    krMy = await frameworkId(t, 'Korea–Malaysia');
    await identifiersKhGaveKr(tf, 'AMBER', { phones: [consented] });
    await givenIn(tf)
      .aRequest('release')
      .from('KR')
      .sentTo('KH')
      .with({ recipientCountry: 'MY', identifiers: { phones: [consented] }, subject: 'May it go to MY?' })
      .accepted();
  }, 120_000);
  afterAll(() => t?.close());

  const setActive = (framework: string, active: boolean) =>
    admin.patch(`/frameworks/${framework}`, { active }).expect(200);

  it('no new share, and no edit of an older share, carries the consented number to MY', async () => {
    const before = (await tf['kr.officer'].post('/cases', { title: 'Plain' }).expect(201)).body;
    await tf['kr.liaison'].post(`/cases/${before.id}/shares`, { countryCode: 'MY' }).expect(201);
    const personId = await personKhGaveKr(tf, 'AMBER', 'KEO Ended');
    await givenIn(tf)
      .aRequest('release')
      .from('KR')
      .sentTo('KH')
      .with({ recipientCountry: 'MY', personIds: [personId], subject: 'May KEO go to MY?' })
      .accepted();
    await setActive(krMy, false);
    try {
      const fresh = (
        await tf['kr.officer']
          .post('/cases', { title: `Subscriber ${consented}`, persons: [{ personId, role: 'suspect' }] })
          .expect(201)
      ).body;
      await tf['kr.liaison'].post(`/cases/${fresh.id}/shares`, { countryCode: 'MY' }).expect(400);
      await tf['my.officer'].get(`/cases/${fresh.id}`).expect(404);
      await tf['my.officer'].get(`/persons/${personId}`).expect(404);
      const edited = await tf['kr.officer']
        .patch(`/cases/${before.id}`, { title: `Subscriber ${consented}`, version: before.version })
        .expect(409);
      expect(edited.body.type).toContain('no-active-framework');
      expect((await tf['my.officer'].get(`/cases/${before.id}`).expect(200)).body.title).toBe('Plain');
    } finally {
      await setActive(krMy, true);
    }
  });
});
