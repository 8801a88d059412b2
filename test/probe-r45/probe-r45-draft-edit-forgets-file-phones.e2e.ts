import { upload } from '../attachments/attachment-support';
import { RELEASE_REFUSED, send } from '../sharing/support';
import type { SignedIn } from '../support/http';
import { aDraft, taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r45, finding 1: KH files a call log on a draft information request to KR (AMBER). The log's
 * phones reach KR as received from KH when the file is filed (`FileReleaseService.releaseFiles`, probe
 * r44). An edit of the draft then forgot those receipts (`forgetUnsentRequestIdentifiers` kept only the
 * numbers of the subject and the kind's parts), the file stayed on the draft and went to KR with it, and
 * KR held KH's phone as its own: into a person of its own, onward to MY (201), and a hit at KR in MY's
 * hit/no-hit check.
 */
describe('Probe r45: a draft’s edit does not forget what its files carry', () => {
  let t: TestApp;
  let tf: TaskForce;
  const base = '/information-requests';

  /** KH drafts an AMBER request to KR with a call log showing `phone`; `edited`: KH edits the draft once. */
  const khSendsLog = async (phone: string, edited: boolean): Promise<string> => {
    let draft = (
      await tf['kh.officer']
        .post(
          base,
          aDraft(tf.cambodiaKoreaFramework, {
            subject: 'Who runs the Golden Fortune compound?',
            questions: ['Who runs it?'],
            targetCountry: 'KR',
            identifiers: { compounds: ['Golden Fortune'] },
          }),
        )
        .expect(201)
    ).body as { id: string; version: number };
    const log = Buffer.from(`Call log\nSubscriber ${phone} paid the compound boss\n`);
    const filed = await upload(t, tf['kh.officer'], `${base}/${draft.id}/attachments`, log, 'calls.txt');
    expect(filed.status).toBe(201);
    if (edited)
      draft = (
        await tf['kh.officer']
          .patch(`${base}/${draft.id}`, { version: draft.version, subject: 'Who runs the Golden Fortune compound now?' })
          .expect(200)
      ).body;
    await send(tf['kh.officer'], tf['kh.liaison'], base, draft);
    expect((await tf['kr.officer'].get(`/attachments/${filed.body.id}/content`)).status).toBe(200);
    return filed.body.id as string;
  };

  /** KH files a call log showing `phone` on a draft to KR, withdraws it, and sends the draft. */
  const khWithdrawsLogBeforeSending = async (phone: string, reason = 'Attached by mistake'): Promise<string> => {
    const draft = (
      await tf['kh.officer']
        .post(
          base,
          aDraft(tf.cambodiaKoreaFramework, {
            subject: 'Who else runs the Golden Fortune compound?',
            questions: ['Who runs it?'],
            targetCountry: 'KR',
            identifiers: { compounds: ['Golden Fortune'] },
          }),
        )
        .expect(201)
    ).body as { id: string; version: number };
    const log = Buffer.from(`Call log\nSubscriber ${phone} paid the compound boss\n`);
    const filed = await upload(t, tf['kh.officer'], `${base}/${draft.id}/attachments`, log, 'draft-calls.txt');
    expect(filed.status).toBe(201);
    await tf['kh.officer']
      .post(`/attachments/${filed.body.id}/withdraw`, { reason })
      .expect(200);
    const current = (await tf['kh.officer'].get(`${base}/${draft.id}`).expect(200)).body;
    await send(tf['kh.officer'], tf['kh.liaison'], base, current);
    await tf['kr.officer'].get(`/attachments/${filed.body.id}`).expect(404);
    return filed.body.id as string;
  };

  /** KR types `phone` into a person of its own, on a case it shares with MY. */
  const krPassesOn = async (phone: string) => {
    const person = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: 'LEE Caller', script: 'latin', kind: 'primary' }],
          nationalities: ['KR'],
          phones: [phone],
        })
        .expect(201)
    ).body.id as string;
    const kase = (
      await tf['kr.officer']
        .post('/cases', { title: 'Callers', persons: [{ personId: person, role: 'suspect' }] })
        .expect(201)
    ).body.id as string;
    return { person, share: await tf['kr.liaison'].post(`/cases/${kase}/shares`, { countryCode: 'MY' }) };
  };

  const check = async (who: SignedIn, phone: string) =>
    (
      await who
        .post('/identifier-checks', { partners: ['KR'], identifiers: [{ kind: 'phone', value: phone }] })
        .expect(201)
    ).body.results[0].answers;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  }, 90_000);
  afterAll(() => t?.close());

  it('held: a phone KH showed KR only in a file of its request stays KH’s AMBER at KR', async () => {
    const phone = '+85577500101';
    await khSendsLog('+855 77 500 101', false);
    const { person, share } = await krPassesOn(phone);
    expect(share.status).toBe(409);
    expect(share.body.type).toBe(RELEASE_REFUSED);
    await tf['my.officer'].get(`/persons/${person}`).expect(404);
    expect(await check(tf['my.officer'], phone)).toEqual([{ country: 'KR', answer: 'no_hit' }]);
  });

  it('FINDING 1: the same after KH edited the draft before sending it', async () => {
    const phone = '+85577500202';
    await khSendsLog('+855 77 500 202', true);
    const { person, share } = await krPassesOn(phone);
    expect(share.status).toBe(409);
    expect(share.body.type).toBe(RELEASE_REFUSED);
    await tf['my.officer'].get(`/persons/${person}`).expect(404);
    expect(await check(tf['my.officer'], phone)).toEqual([{ country: 'KR', answer: 'no_hit' }]);
  });

  it('FINDING 2: a phone only in a file KH took off its draft is KR’s own once the request is sent', async () => {
    const phone = '+85577500303';
    await khWithdrawsLogBeforeSending('+855 77 500 303');
    // KR has the number from its own work: KH's draft file never reached it.
    const { person, share } = await krPassesOn(phone);
    expect({ status: share.status, body: share.status === 201 ? null : share.body }).toEqual({
      status: 201,
      body: null,
    });
    expect((await tf['my.officer'].get(`/persons/${person}`).expect(200)).body.phones).toEqual([phone]);
  });

  it('FINDING 3: a phone only in the reason KH took a file off its draft with is KR’s own once sent', async () => {
    const phone = '+85577500404';
    await khWithdrawsLogBeforeSending('+855 77 500 505', 'Wrong subscriber: it is +855 77 500 404');
    const { person, share } = await krPassesOn(phone);
    expect({ status: share.status, body: share.status === 201 ? null : share.body }).toEqual({
      status: 201,
      body: null,
    });
    expect((await tf['my.officer'].get(`/persons/${person}`).expect(200)).body.phones).toEqual([phone]);
  });
});
