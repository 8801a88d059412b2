import { koreaMalaysiaFramework } from '../asset-freezes/asset-freeze-scenario';
import { aDraft, taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (TLP propagation): KH gives KR a phone number under AMBER+STRICT ("never passed on"). The
 * release rule weighs numbers written into free text (subjects, questions, messages, notes, grounds…),
 * and KR writing it into an information request's subject for MY is refused. Other free text that
 * reaches MY is not weighed: a repatriation request's subject, a rejection reason, a step comment.
 */
describe('Probe (TLP): AMBER+STRICT numbers leave through free text the rule does not weigh', () => {
  let t: TestApp;
  let tf: TaskForce;
  let krMy: string;
  const phone = '+85599887766';
  const written = 'Contact +855 99 887 766';

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    krMy = await koreaMalaysiaFramework(t);
    // KH sends KR the number under AMBER+STRICT.
    const draft = (
      await tf['kh.officer']
        .post(
          '/information-requests',
          aDraft(tf.cambodiaKoreaFramework, {
            targetCountry: 'KR',
            handlingCode: 'AMBER+STRICT',
            subject: 'Subscriber check',
            questions: ['Who uses the phone in the identifiers?'],
            identifiers: { phones: [phone] },
          }),
        )
        .expect(201)
    ).body;
    const submitted = (
      await tf['kh.officer']
        .post(`/information-requests/${draft.id}/submit`, { version: draft.version })
        .expect(200)
    ).body;
    await tf['kh.liaison']
      .post(`/information-requests/${draft.id}/approve`, { version: submitted.version })
      .expect(200);
  }, 180_000);
  afterAll(() => t?.close());

  it('control: the number in an information request subject to MY is refused (409)', async () => {
    const res = await tf['kr.officer'].post(
      '/information-requests',
      aDraft(krMy, { targetCountry: 'MY', subject: written, questions: ['Who?'], identifiers: undefined }),
    );
    expect(`${res.status} ${res.body.type}`).toBe('409 urn:case-desk:problem:release-refused');
  });

  it('the number in a repatriation request subject to MY is refused too', async () => {
    const arrestId = (
      await tf['kr.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: 'Incheon airport',
          grounds: 'Fraud',
          arrestingAgency: 'Korean National Police Agency',
          nationality: 'MY',
          person: { names: [{ full: 'TAN Probe', script: 'latin', kind: 'primary' }] },
        })
        .expect(201)
    ).body.id;
    const res = await tf['kr.officer'].post('/repatriation-requests', {
      frameworkId: krMy,
      targetCountry: 'MY',
      priority: 'routine',
      handlingCode: 'AMBER',
      subject: written,
      arrestIds: [arrestId],
    });
    if (res.status === 201) {
      // Not refused: KR sends it, and MY reads the number in the subject.
      const s = (
        await tf['kr.officer']
          .post(`/repatriation-requests/${res.body.id}/submit`, { version: res.body.version })
          .expect(200)
      ).body;
      await tf['kr.liaison']
        .post(`/repatriation-requests/${res.body.id}/approve`, { version: s.version })
        .expect(200);
      const mine = await tf['my.officer'].get(`/repatriation-requests/${res.body.id}`).expect(200);
      expect(mine.body.subject).not.toContain('99 887 766');
    }
    expect(`${res.status} ${res.body.type}`).toBe('409 urn:case-desk:problem:release-refused');
  });

  it('the number in a rejection reason and an accept comment on MY’s requests is refused too', async () => {
    const ask = async () => {
      const d = (
        await tf['my.officer']
          .post(
            '/information-requests',
            aDraft(krMy, {
              targetCountry: 'KR',
              subject: 'Ask',
              questions: ['Who?'],
              identifiers: undefined,
            }),
          )
          .expect(201)
      ).body;
      const s = (
        await tf['my.officer']
          .post(`/information-requests/${d.id}/submit`, { version: d.version })
          .expect(200)
      ).body;
      return (
        await tf['my.liaison']
          .post(`/information-requests/${d.id}/approve`, { version: s.version })
          .expect(200)
      ).body;
    };
    const first = await ask();
    const rejected = await tf['kr.liaison'].post(`/information-requests/${first.id}/reject`, {
      version: first.version,
      reason: written,
    });
    const second = await ask();
    const accepted = await tf['kr.liaison'].post(`/information-requests/${second.id}/accept`, {
      version: second.version,
      comment: written,
    });
    // What MY reads when they were not refused.
    const myReads = [
      (await tf['my.officer'].get(`/information-requests/${first.id}`)).body.rejectionReason,
      JSON.stringify((await tf['my.officer'].get(`/information-requests/${second.id}/history`)).body),
    ];
    expect({
      reject: rejected.status,
      accept: accepted.status,
      myReadsTheNumber: myReads.some((x) => typeof x === 'string' && x.includes('99 887 766')),
    }).toEqual({ reject: 409, accept: 409, myReadsTheNumber: false });
  });
});
