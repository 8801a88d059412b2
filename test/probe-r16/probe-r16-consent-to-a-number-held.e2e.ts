import { identifiersKhGaveKr, personKhGaveKr, RELEASE_REFUSED } from '../sharing/support';
import { givenIn } from '../support/given';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r16, held (regression): consent to pass on a bare number (`/release-requests` with `identifiers`, no persons).
 *
 * KH gives KR, as bare identifiers, `+85588100111` and `+85588100222` under AMBER, `+85588100333`
 * under RED and `+85588100444` under AMBER+STRICT. KR asks KH's consent to pass `+85588100111` on to MY;
 * KH's liaison accepts. The consent must reach no further than that number, from KR, to MY.
 */
describe('Probe r16 (held): consent to pass on a number reaches that number, from KR, to MY, only', () => {
  let t: TestApp;
  let tf: TaskForce;
  let th: SignedIn;
  const consented = '+85588100111';
  const other = '+85588100222';
  const red = '+85588100333';
  const strict = '+85588100444';

  const caseFor = async (who: SignedIn, liaison: SignedIn, title: string, to: string) => {
    const kase = (await who.post('/cases', { title }).expect(201)).body as { id: string };
    const share = await liaison.post(`/cases/${kase.id}/shares`, { countryCode: to });
    return { id: kase.id, status: share.status, body: share.body };
  };
  const krCase = (title: string, to = 'MY') => caseFor(tf['kr.officer'], tf['kr.liaison'], title, to);

  beforeAll(async () => {
    // The whole demo world: the multilateral body joins KR, KH, MY and TH (a fourth country).
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
    th = await signIn(t.server, 'th.officer');
    await identifiersKhGaveKr(tf, 'AMBER', { phones: [consented, other] });
    await identifiersKhGaveKr(tf, 'RED', { phones: [red] });
    await identifiersKhGaveKr(tf, 'AMBER+STRICT', { phones: [strict] });
    const consent = await givenIn(tf)
      .aRequest('release')
      .from('KR')
      .sentTo('KH')
      .with({
        recipientCountry: 'MY',
        identifiers: { phones: [consented] },
        subject: 'May the number go to MY?',
      })
      .accepted();
    expect(consent.granted).toBe(true);
  }, 120_000);
  afterAll(() => t?.close());

  it('held: the consented number goes to MY, and MY reads it', async () => {
    const shared = await krCase(`Subscriber ${consented}`);
    expect(shared.status).toBe(201);
    expect((await tf['my.officer'].get(`/cases/${shared.id}`).expect(200)).body.title).toContain(consented);
  });

  it('held: another number of the same answer, written in the same text, is refused', async () => {
    const shared = await krCase(`Subscribers ${consented} and ${other}`);
    expect(shared.status).toBe(409);
    expect(shared.body.type).toBe(RELEASE_REFUSED);
    await tf['my.officer'].get(`/cases/${shared.id}`).expect(404);
  });

  it('held: the consented number does not go to a fourth country (TH)', async () => {
    const shared = await krCase(`Subscriber ${consented}`, 'TH');
    expect(shared.status).toBe(409);
    expect(shared.body.type).toBe(RELEASE_REFUSED);
    await th.get(`/cases/${shared.id}`).expect(404);
  });

  it('held: consent cannot be asked for a RED or an AMBER+STRICT number (400)', async () => {
    const frameworkId = tf.cambodiaKoreaFramework;
    for (const phone of [red, strict])
      await tf['kr.officer']
        .post('/release-requests', {
          frameworkId,
          targetCountry: 'KH',
          recipientCountry: 'MY',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: 'And this one?',
          identifiers: { phones: [phone] },
        })
        .expect(400);
    for (const phone of [red, strict]) expect((await krCase(`Subscriber ${phone}`)).status).toBe(409);
  });

  it('held: MY cannot pass the consented number on, to TH in a case of its own, nor by a request', async () => {
    await krCase(`Subscriber ${consented}`);
    const mine = await caseFor(tf['my.officer'], tf['my.liaison'], `MY lead ${consented}`, 'TH');
    expect(mine.status).toBe(409);
    expect(mine.body.type).toBe(RELEASE_REFUSED);
    await th.get(`/cases/${mine.id}`).expect(404);
    const myTh = await tf.frameworkBetween('MY', 'TH');
    const asked = await tf['my.officer'].post('/information-requests', {
      frameworkId: myTh,
      targetCountry: 'TH',
      priority: 'urgent',
      handlingCode: 'AMBER',
      subject: `Who holds ${consented}?`,
      questions: ['Subscriber?'],
      identifiers: { phones: [consented] },
    });
    expect(asked.status).toBe(409);
    // Giving it back to its originator is allowed.
    expect((await caseFor(tf['my.officer'], tf['my.liaison'], `MY lead ${consented}`, 'KH')).status).toBe(
      201,
    );
  });

  it('held: a person KH consented to, passed to MY, goes no further: MY’s case with it, and MY’s own person with its phone, to TH', async () => {
    const personId = await personKhGaveKr(tf, 'AMBER', 'KEO Onward');
    await givenIn(tf)
      .aRequest('release')
      .from('KR')
      .sentTo('KH')
      .with({ recipientCountry: 'MY', personIds: [personId], subject: 'May KEO go to MY?' })
      .accepted();
    const kr = (
      await tf['kr.officer']
        .post('/cases', { title: 'To MY', persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body;
    await tf['kr.liaison'].post(`/cases/${kr.id}/shares`, { countryCode: 'MY' }).expect(201);
    const phone = (
      (await tf['my.officer'].get(`/persons/${personId}`).expect(200)).body.phones as string[]
    )[0]!;
    const onward = (
      await tf['my.officer']
        .post('/cases', { title: 'MY onward', persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body;
    expect((await tf['my.liaison'].post(`/cases/${onward.id}/shares`, { countryCode: 'TH' })).status).toBe(
      409,
    );
    const copied = (
      await tf['my.officer']
        .post('/persons', { names: [{ full: 'MY copy', script: 'latin', kind: 'primary' }], phones: [phone] })
        .expect(201)
    ).body;
    const own = (
      await tf['my.officer']
        .post('/cases', { title: 'MY own', persons: [{ personId: copied.id, role: 'suspect' }] })
        .expect(201)
    ).body;
    expect((await tf['my.liaison'].post(`/cases/${own.id}/shares`, { countryCode: 'TH' })).status).toBe(409);
    await th.get(`/persons/${personId}`).expect(404);
    await th.get(`/persons/${copied.id}`).expect(404);
  });
});
