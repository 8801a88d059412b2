import { upload } from '../attachments/attachment-support';
import { RELEASE_REFUSED } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { khFileGivenToKr } from './r44-support';

/**
 * Probe r44, finding 1: a phone KH wrote only inside a call log it gave KR under AMBER was KR's own for
 * the release rule. KR typed it into a person of its own and shared the person's case with MY (201: MY
 * read the phone), MY's hit/no-hit check found it at KR, and KH's log saved again with one more line went
 * to MY whole. The phones a file shows now reach the country it goes to as received from the file's
 * holder, under the code it went by.
 */
describe('Probe r44: a phone KH gave KR only inside an AMBER file stays AMBER', () => {
  let t: TestApp;
  let tf: TaskForce;
  const phone = '+85577123456';
  const log = Buffer.from(`Call log\nSubscriber ${phone.replace('+855', '+855 ')} paid the compound boss\n`);
  let krPersonId: string;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await khFileGivenToKr(t, tf, log, 'calls.txt');
    krPersonId = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: 'LEE Subscriber', script: 'latin', kind: 'primary' }],
          nationalities: ['KR'],
          phones: [phone],
        })
        .expect(201)
    ).body.id;
  });
  afterAll(() => t?.close());

  it('KR’s person holding the phone does not go to MY, and MY reads nothing of it', async () => {
    const krCase = (
      await tf['kr.officer']
        .post('/cases', { title: 'Subscribers', persons: [{ personId: krPersonId, role: 'suspect' }] })
        .expect(201)
    ).body.id;
    const share = await tf['kr.liaison'].post(`/cases/${krCase}/shares`, { countryCode: 'MY' });
    expect(share.status).toBe(409);
    expect(share.body.type).toBe(RELEASE_REFUSED);
    await tf['my.officer'].get(`/persons/${krPersonId}`).expect(404);
  });

  it('MY’s hit/no-hit check does not find the phone at KR', async () => {
    const check = (
      await tf['my.officer']
        .post('/identifier-checks', { partners: ['KR'], identifiers: [{ kind: 'phone', value: phone }] })
        .expect(201)
    ).body;
    expect(check.results[0].answers).toEqual([{ country: 'KR', answer: 'no_hit' }]);
  });

  it('KH’s log saved again with other bytes does not go to MY on a KR case shared with MY', async () => {
    const krCase = (await tf['kr.officer'].post('/cases', { title: 'Notes' }).expect(201)).body.id;
    await tf['kr.liaison'].post(`/cases/${krCase}/shares`, { countryCode: 'MY' }).expect(201);
    const resaved = Buffer.concat([log, Buffer.from('\n')]);
    const res = await upload(t, tf['kr.officer'], `/cases/${krCase}/attachments`, resaved, 'notes.txt');
    expect(res.status).toBe(409);
    expect(res.body.type).toBe(RELEASE_REFUSED);
  });

  it('a phone of KR’s own in KR’s file still goes with it', async () => {
    const krCase = (await tf['kr.officer'].post('/cases', { title: 'Own notes' }).expect(201)).body.id;
    await tf['kr.liaison'].post(`/cases/${krCase}/shares`, { countryCode: 'MY' }).expect(201);
    const own = Buffer.from('Our informant: +82 10 5555 0101\n');
    expect((await upload(t, tf['kr.officer'], `/cases/${krCase}/attachments`, own, 'own.txt')).status).toBe(
      201,
    );
  });
});
