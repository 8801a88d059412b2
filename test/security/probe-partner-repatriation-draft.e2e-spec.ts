import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (partner): a repatriation DRAFT of one country must not show to the other side. The partial
 * unique index `repatriation_arrest_one_open` is global across countries, so the other side's create
 * for the same arrest fails with 409 while the first is still an unsent draft it cannot read.
 */
describe('Probe (partner): another country’s unsent repatriation draft for a shared arrest', () => {
  let t: TestApp;
  let tf: TaskForce;
  let arrestId: string;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    // KH arrests a KR national and shares the arrest with KR.
    arrestId = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-04-02T10:00:00+07:00',
          place: 'Sihanoukville compound',
          grounds: 'Fraud',
          arrestingAgency: 'Cambodian National Police',
          nationality: 'KR',
          person: { names: [{ full: 'PARK Probe', script: 'latin', kind: 'primary' }] },
        })
        .expect(201)
    ).body.id;
    await tf['kh.liaison'].post(`/arrests/${arrestId}/shares`, { countryCode: 'KR' }).expect(200);
  }, 120_000);
  afterAll(() => t?.close());

  const body = (targetCountry: string, subject: string) => ({
    frameworkId: tf.cambodiaKoreaFramework,
    targetCountry,
    priority: 'urgent',
    handlingCode: 'AMBER',
    subject,
    arrestIds: [arrestId],
  });

  it('KR’s create for the shared arrest answers as if KH had no draft (it answers 409 today)', async () => {
    // Control: without any KH draft, KR can create (and withdraw) its own request for the arrest.
    const control = await tf['kr.officer']
      .post('/repatriation-requests', body('KH', 'KR control'))
      .expect(201);
    await tf['kr.officer']
      .post(`/repatriation-requests/${control.body.id}/withdraw`, { version: control.body.version })
      .expect(200);

    // KH drafts (does not submit, does not send) a repatriation of the same arrest to KR.
    const khDraft = (
      await tf['kh.officer'].post('/repatriation-requests', body('KR', 'KH internal draft')).expect(201)
    ).body;
    expect(khDraft.status).toBe('draft');
    // KR cannot read the draft: 404.
    await tf['kr.officer'].get(`/repatriation-requests/${khDraft.id}`).expect(404);

    // KR now asks for the same arrest: the answer differs only because KH has an unsent draft.
    const probe = await tf['kr.officer'].post('/repatriation-requests', body('KH', 'KR probe'));
    expect({ status: probe.status, detail: probe.body.detail }).toEqual({
      status: 201,
      detail: undefined,
    });
  });

  it('a KH officer who may not read KR’s RED request for a shared arrest is not told of it either', async () => {
    // KR arrests a KH national, shares the arrest with KH and asks KH (RED) to take him back.
    const krArrest = (
      await tf['kr.officer']
        .post('/arrests', {
          arrestedAt: '2026-04-03T10:00:00+09:00',
          place: 'Incheon airport',
          grounds: 'Fraud',
          arrestingAgency: 'Korean National Police Agency',
          nationality: 'KH',
          person: { names: [{ full: 'SOK Red', script: 'latin', kind: 'primary' }] },
        })
        .expect(201)
    ).body.id;
    await tf['kr.liaison'].post(`/arrests/${krArrest}/shares`, { countryCode: 'KH' }).expect(200);
    const red = (
      await tf['kr.officer']
        .post('/repatriation-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KH',
          priority: 'urgent',
          handlingCode: 'RED',
          subject: 'RED repatriation',
          arrestIds: [krArrest],
        })
        .expect(201)
    ).body;
    const submitted = (
      await tf['kr.officer']
        .post(`/repatriation-requests/${red.id}/submit`, { version: red.version })
        .expect(200)
    ).body;
    await tf['kr.liaison']
      .post(`/repatriation-requests/${red.id}/approve`, { version: submitted.version })
      .expect(200);
    // A KH officer (not a liaison, not assigned) cannot read the RED request.
    await tf['kh.officer'].get(`/repatriation-requests/${red.id}`).expect(404);
    // The same officer asks KR for the same (shared) arrest: a 409 tells it a request exists.
    const probe = await tf['kh.officer'].post('/repatriation-requests', {
      frameworkId: tf.cambodiaKoreaFramework,
      targetCountry: 'KR',
      priority: 'urgent',
      handlingCode: 'AMBER',
      subject: 'KH asks for its national',
      arrestIds: [krArrest],
    });
    expect({ status: probe.status, detail: probe.body.detail }).toEqual({ status: 201, detail: undefined });
  });
});
