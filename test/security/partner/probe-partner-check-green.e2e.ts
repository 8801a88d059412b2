import { signIn, SignedIn } from '../../support/http';
import { taskForce, TaskForce } from '../../support/scenario';
import { createTestApp, TestApp } from '../../support/test-app';

/**
 * Probe (third country, multilateral): KR gives KH a phone under GREEN (a case share under the Joint Task
 * Force); KH later records a person of its own with that phone. GREEN goes on only to members of a
 * framework that both KH and KR belong to. Once KR has left the multilateral body, TH shares no framework
 * with KR: KH may not pass the phone to TH (409 release-refused), yet KH's automatic hit/no-hit answer
 * tells TH that KH holds it. `IdentifierCheckStore.hits` lets CLEAR and GREEN receipts through
 * whatever the asker.
 */
describe('Probe (third country): a hit/no-hit check answers with GREEN data outside its circle', () => {
  let t: TestApp;
  let tf: TaskForce;
  const phone = '+821055501234';
  /** A number KH recorded itself and never received: its own hit to give. */
  const khOwnPhone = '+85512345678';
  let multilateral: string;
  let thOfficer: SignedIn;
  /** TH's answer while KR, KH and TH were all members of the multilateral body (the GREEN circle). */
  let insideCircle: string;
  const check = (who: SignedIn, partner: string) =>
    who
      .post('/identifier-checks', {
        partners: [partner],
        identifiers: [
          { kind: 'phone', value: phone },
          { kind: 'phone', value: khOwnPhone },
        ],
      })
      .expect(201);
  const answersOf = (body: { results: Array<{ answers: Array<{ answer: string }> }> }) =>
    body.results.map((r) => r.answers[0]!.answer);

  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
    [{ id: multilateral }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'International Investigative Body on Scam Compounds'`,
    );
    const person = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: 'LIM Green', script: 'latin', kind: 'primary' }],
          nationalities: ['KR'],
          phones: [phone],
        })
        .expect(201)
    ).body;
    const kase = (
      await tf['kr.officer']
        .post('/cases', { title: 'Green case', persons: [{ personId: person.id, role: 'suspect' }] })
        .expect(201)
    ).body;
    await tf['kr.liaison']
      .post(`/cases/${kase.id}/shares`, { countryCode: 'KH', handlingCode: 'GREEN' })
      .expect(201);
    // KH records a person of its own with the number it was given.
    await tf['kh.officer']
      .post('/persons', {
        names: [{ full: 'KH own record', script: 'latin', kind: 'primary' }],
        nationalities: ['KH'],
        phones: [phone],
      })
      .expect(201);
    await tf['kh.officer']
      .post('/persons', {
        names: [{ full: 'KH second record', script: 'latin', kind: 'primary' }],
        nationalities: ['KH'],
        phones: [khOwnPhone],
      })
      .expect(201);
    thOfficer = await signIn(t.server, 'th.officer');
    insideCircle = answersOf((await check(thOfficer, 'KH')).body)[0]!;
    // KR leaves the multilateral body today: TH and KR share no framework any more.
    const admin = await signIn(t.server, 'platform.admin');
    const today = new Date().toISOString().slice(0, 10);
    await admin
      .put(`/frameworks/${multilateral}/members/KR`, { joinedOn: '2026-03-01', leftOn: today })
      .expect(200);
  }, 180_000);
  afterAll(() => t?.close());

  it('KH may not pass the phone to TH, and its automatic answer to TH is no hit either', async () => {
    // The release rule: KH may not send the number to TH.
    const onward = await tf['kh.officer'].post('/information-requests', {
      frameworkId: multilateral,
      targetCountry: 'TH',
      priority: 'routine',
      handlingCode: 'GREEN',
      subject: 'Phone check',
      questions: ['Who uses it?'],
      identifiers: { phones: [phone] },
    });
    const check = await thOfficer
      .post('/identifier-checks', { partners: ['KH'], identifiers: [{ kind: 'phone', value: phone }] })
      .expect(201);
    expect({
      onward: `${onward.status} ${onward.body.type ?? ''}`,
      answer: check.body.results[0].answers[0].answer,
    }).toEqual({ onward: '409 urn:case-desk:problem:release-refused', answer: 'no_hit' });
  });

  it('inside the circle the GREEN number hit; a number KH recorded itself hits whoever asks', async () => {
    const view = (await check(thOfficer, 'KH')).body;
    expect({ insideCircle, now: answersOf(view) }).toEqual({ insideCircle: 'hit', now: ['no_hit', 'hit'] });
  });

  it('the stored check and both sides\' audit events count the same hits', async () => {
    const view = (await check(thOfficer, 'KH')).body;
    const again = (await thOfficer.get(`/identifier-checks/${view.id}`).expect(200)).body;
    const eventsOf = async (auditor: SignedIn) =>
      (await auditor.get(`/audit-events?recordId=${view.id}&limit=200`).expect(200)).body.items as Array<{
        action: string;
        details: { hits?: number; partners?: Array<{ hits: number }> };
      }>;
    const thEvents = await eventsOf(await signIn(t.server, 'th.auditor'));
    const khEvents = await eventsOf(tf['kh.auditor']);
    expect({
      stored: answersOf(again),
      asker: thEvents.find((e) => e.action === 'identifier_check.run')!.details.partners![0]!.hits,
      partner: khEvents.find((e) => e.action === 'identifier_check.answer')!.details.hits,
    }).toEqual({ stored: ['no_hit', 'hit'], asker: 1, partner: 1 });
  });

  it('the originator asking is told: giving data back to KR is allowed, so the hit is', async () => {
    expect(answersOf((await check(tf['kr.officer'], 'KH')).body)).toEqual(['hit', 'hit']);
  });
});
