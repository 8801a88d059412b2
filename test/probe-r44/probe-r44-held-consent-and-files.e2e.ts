import { upload } from '../attachments/attachment-support';
import { RELEASE_REFUSED } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r44, held (guard): KH's consent to pass its AMBER person on to MY covers the person, not the
 * files KH put on it. KH gives KR `SOK Dara` (a case shared under AMBER) with an interview transcript
 * filed on the person; KR asks KH's consent to give him to MY (`/release-requests`, recipient MY) and
 * KH's liaison accepts. KR's case holding him, shared with MY, is refused (409 naming `attachments`:
 * the file's bytes came from KH), and MY reads neither the person nor the file; a file KH adds
 * afterwards reaches MY by no path either.
 */
describe('Probe r44 (held): consent to a person does not carry the originator’s files to the recipient', () => {
  let t: TestApp;
  let tf: TaskForce;
  let personId: string;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    personId = (
      await tf['kh.officer']
        .post('/persons', {
          names: [{ full: 'SOK Dara', script: 'latin', kind: 'primary' }],
          nationalities: ['KH'],
        })
        .expect(201)
    ).body.id as string;
    expect(
      (
        await upload(
          t,
          tf['kh.officer'],
          `/persons/${personId}/attachments`,
          Buffer.from('Interview transcript: he runs building C\n'),
          'interview.txt',
        )
      ).status,
    ).toBe(201);
    const khCase = (
      await tf['kh.officer']
        .post('/cases', { title: 'Building C', persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body.id as string;
    await tf['kh.liaison']
      .post(`/cases/${khCase}/shares`, { countryCode: 'KR', handlingCode: 'AMBER' })
      .expect(201);
    const asked = (
      await tf['kr.officer']
        .post('/release-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KH',
          recipientCountry: 'MY',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: 'May Malaysia know him?',
          personIds: [personId],
        })
        .expect(201)
    ).body as { id: string; version: number };
    const submitted = (
      await tf['kr.officer']
        .post(`/release-requests/${asked.id}/submit`, { version: asked.version })
        .expect(200)
    ).body as { version: number };
    const sent = (
      await tf['kr.liaison']
        .post(`/release-requests/${asked.id}/approve`, { version: submitted.version })
        .expect(200)
    ).body as { version: number };
    const accepted = await tf['kh.liaison']
      .post(`/release-requests/${asked.id}/accept`, { version: sent.version })
      .expect(200);
    expect(accepted.body.status).toBe('accepted');
  }, 90_000);
  afterAll(() => t?.close());

  it('KR’s case holding the consented person, shared with MY, is refused for KH’s file; MY reads nothing', async () => {
    const krCase = (
      await tf['kr.officer']
        .post('/cases', { title: 'With consent', persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body.id as string;
    const share = await tf['kr.liaison'].post(`/cases/${krCase}/shares`, { countryCode: 'MY' });
    expect(share.status).toBe(409);
    expect(share.body.type).toBe(RELEASE_REFUSED);
    expect((share.body.errors as Array<{ field: string }>).map((e) => e.field)).toEqual(['attachments']);
    await tf['my.officer'].get(`/cases/${krCase}`).expect(404);
    await tf['my.officer'].get(`/persons/${personId}`).expect(404);
    await tf['my.officer'].get(`/persons/${personId}/attachments`).expect(404);
    // A file KH adds afterwards reaches MY by no path either.
    await upload(
      t,
      tf['kh.officer'],
      `/persons/${personId}/attachments`,
      Buffer.from('Second interview\n'),
      'interview2.txt',
    ).expect(201);
    await tf['my.officer'].get(`/persons/${personId}/attachments`).expect(404);
  });
});
