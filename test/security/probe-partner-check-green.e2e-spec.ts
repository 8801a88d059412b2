import { signIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

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
  let multilateral: string;

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
    // KR leaves the multilateral body today: TH and KR share no framework any more.
    const admin = await signIn(t.server, 'platform.admin');
    const today = new Date().toISOString().slice(0, 10);
    await admin
      .put(`/frameworks/${multilateral}/members/KR`, { joinedOn: '2026-03-01', leftOn: today })
      .expect(200);
  }, 180_000);
  afterAll(() => t?.close());

  it('KH may not pass the phone to TH, and its automatic answer to TH is no hit either', async () => {
    const thOfficer = await signIn(t.server, 'th.officer');
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
});
