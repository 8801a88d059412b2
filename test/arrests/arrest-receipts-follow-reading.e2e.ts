import { aPdf, upload } from '../attachments/attachment-support';
import { RELEASE_REFUSED } from '../sharing/support';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * What the person's country reads of an arrest by a repatriation request counts as received from the
 * moment it reads it (probe r14, the stricter side of findings 1–3): a file KH filed while its request
 * to KR was a draft reaches KR with the sending, and KR may not pass those bytes on to MY as its own
 * afterwards; a custody reason KH writes while the request is under way (and a framework joins the two)
 * is read by KR, and the number in it is KR's received number, not its own. Both stay received after
 * the request is withdrawn and KR reads the arrest no more.
 */
describe('Arrest: a repatriation request’s side receives the arrest’s files and reasons when it reads them', () => {
  let t: TestApp;
  let tf: TaskForce;
  let arrestId: string;
  let krCase: string;
  const draftBytes = aPdf(15_000, 'filed-while-drafting');
  const phone = '+85512000555';
  let listedBySending: string[];
  let stepReason: string | null;
  let krReadsAfter: number;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const arrest = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-03T02:30:00Z',
          place: 'Sihanoukville',
          grounds: 'Online fraud',
          arrestingAgency: 'GDNP',
          nationality: 'KR',
          person: {
            names: [{ full: 'YOON Sentlater', script: 'latin', kind: 'primary' }],
            nationalities: ['KR'],
          },
        })
        .expect(201)
    ).body;
    arrestId = arrest.id;
    const request = givenIn(tf)
      .aRequest('repatriation')
      .from('KH')
      .sentTo('KR')
      .handledAs('AMBER')
      .with({ arrestIds: [arrestId], subject: 'Repatriation, sent after the file' });
    await request.drafted();
    await upload(t, tf['kh.officer'], `/arrests/${arrestId}/attachments`, draftBytes, 'photo.pdf').expect(
      201,
    );
    const sent = await request.sent();
    listedBySending = (
      await tf['kr.officer'].get(`/arrests/${arrestId}/attachments`).expect(200)
    ).body.items.map((f: { filename: string }) => f.filename);
    const current = (await tf['kh.officer'].get(`/arrests/${arrestId}`).expect(200)).body;
    await tf['kh.officer']
      .post(`/arrests/${arrestId}/custody`, {
        status: 'charged',
        reason: `Called his handler on ${phone}`,
        version: current.version,
      })
      .expect(200);
    const steps: Array<{ toStatus: string; reason: string | null }> = (
      await tf['kr.officer'].get(`/arrests/${arrestId}/custody`).expect(200)
    ).body;
    stepReason = steps.find((s) => s.toStatus === 'charged')?.reason ?? null;
    // KH withdraws the request: KR reads the arrest no more, and keeps what it read.
    const latest = (await tf['kh.officer'].get(`/repatriation-requests/${sent.id}`).expect(200)).body;
    await tf['kh.officer']
      .post(`/repatriation-requests/${sent.id}/withdraw`, { version: latest.version })
      .expect(200);
    krReadsAfter = (await tf['kr.officer'].get(`/arrests/${arrestId}`)).status;
    krCase = (await tf['kr.officer'].post('/cases', { title: 'Photos and numbers' }).expect(201)).body.id;
    await tf['kr.liaison'].post(`/cases/${krCase}/shares`, { countryCode: 'MY' }).expect(201);
  }, 120_000);
  afterAll(() => t?.close());

  it('KR reads the file filed while the request was a draft once it is sent', () => {
    expect(listedBySending).toEqual(['photo.pdf']);
  });

  it('KR reads the arrest no more once KH withdrew the request', () => {
    expect(krReadsAfter).toBe(404);
  });

  it('yet KR may not pass the bytes it read on to MY as its own (409 release-refused)', async () => {
    const res = await upload(t, tf['kr.officer'], `/cases/${krCase}/attachments`, draftBytes, 'again.pdf');
    expect({ status: res.status, type: res.body.type }).toEqual({ status: 409, type: RELEASE_REFUSED });
  });

  it('KR read the reason of a step taken while the request was under way: its number stays a received one', async () => {
    expect(stepReason).toBe(`Called his handler on ${phone}`);
    const person = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: 'LEE Handler', script: 'latin', kind: 'primary' }],
          nationalities: ['KR'],
          phones: [phone],
        })
        .expect(201)
    ).body;
    const kase = (
      await tf['kr.officer']
        .post('/cases', { title: 'Handlers', persons: [{ personId: person.id, role: 'suspect' }] })
        .expect(201)
    ).body;
    const res = await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' });
    expect({ status: res.status, type: res.body.type }).toEqual({ status: 409, type: RELEASE_REFUSED });
  });
});
