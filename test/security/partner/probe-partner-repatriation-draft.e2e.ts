import { taskForce, TaskForce } from '../../support/scenario';
import { createTestApp, TestApp } from '../../support/test-app';

/**
 * Probe (partner): a repatriation DRAFT of one country must not show to the other side. The partial
 * unique index `repatriation_arrest_one_open` is global across countries, so the other side's create
 * for the same arrest fails with 409 while the first is still an unsent draft it cannot read.
 */
describe('Probe (partner): another country’s unsent repatriation draft for a shared arrest', () => {
  let t: TestApp;
  let tf: TaskForce;
  let arrestId: string;
  let khDraftId: string;
  let krRequestId: string;
  let krControlId: string;

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

  /** Submitted by the side's officer and approved (sent) by its liaison; the request as sent. */
  async function sendAs(side: 'kh' | 'kr', id: string) {
    const d = (await tf[`${side}.officer`].get(`/repatriation-requests/${id}`).expect(200)).body;
    const s = (
      await tf[`${side}.officer`]
        .post(`/repatriation-requests/${id}/submit`, { version: d.version })
        .expect(200)
    ).body;
    return (
      await tf[`${side}.liaison`]
        .post(`/repatriation-requests/${id}/approve`, { version: s.version })
        .expect(200)
    ).body as { reference: string; version: number };
  }

  /** The open rows that hold an arrest, by side: the two unique indexes' ground. */
  const openRows = (arrest: string): Promise<Array<{ origin: string; sent: boolean }>> =>
    t.dataSource.query(
      `SELECT origin_country AS origin, sent FROM repatriation_person WHERE arrest_id = $1 AND open ORDER BY 1`,
      [arrest],
    );

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
    khDraftId = khDraft.id;
    krControlId = control.body.id;
    krRequestId = probe.body.id;
    // Each side holds one open request per arrest: KR's second is refused, naming its own first.
    const again = await tf['kr.officer'].post('/repatriation-requests', body('KH', 'KR again')).expect(409);
    expect(again.body.detail).toContain(probe.body.draftId);
  });

  it('the first request sent is the one both act on: the other side’s approve meets it, then is free again', async () => {
    const sent = await sendAs('kr', krRequestId);
    expect(sent.reference).toEqual(expect.any(String));
    // KH reads KR's request now (sent to KH): a new KH request is refused, naming it.
    await tf['kh.officer'].get(`/repatriation-requests/${krRequestId}`).expect(200);
    const refused = await tf['kh.officer']
      .post('/repatriation-requests', body('KR', 'KH second'))
      .expect(409);
    expect(refused.body.detail).toContain(sent.reference);
    // KH's own draft may be submitted, but not sent while KR's is open: its liaison reads why.
    const khDraft = (await tf['kh.officer'].get(`/repatriation-requests/${khDraftId}`).expect(200)).body;
    const submitted = (
      await tf['kh.officer']
        .post(`/repatriation-requests/${khDraftId}/submit`, { version: khDraft.version })
        .expect(200)
    ).body;
    const asLiaison = (await tf['kh.liaison'].get(`/repatriation-requests/${khDraftId}`).expect(200)).body;
    expect(asLiaison.allowedActions).not.toContain('approve');
    const approve = await tf['kh.liaison']
      .post(`/repatriation-requests/${khDraftId}/approve`, { version: submitted.version })
      .expect(409);
    expect(approve.body.detail).toContain(sent.reference);
    expect(await openRows(arrestId)).toEqual([
      { origin: 'KH', sent: false },
      { origin: 'KR', sent: true },
    ]);
    // The database holds the same line, whatever the path: one sent per arrest, one open per side.
    await expect(
      t.dataSource.query(`UPDATE repatriation_person SET sent = true WHERE request_id = $1`, [khDraftId]),
    ).rejects.toMatchObject({ driverError: { constraint: 'repatriation_arrest_one_sent' } });
    await expect(
      t.dataSource.query(`UPDATE repatriation_person SET open = true WHERE request_id = $1`, [krControlId]),
    ).rejects.toMatchObject({ driverError: { constraint: 'repatriation_arrest_one_open_per_side' } });
    // KR withdraws its request: KH's may be sent now.
    const kr = (await tf['kr.officer'].get(`/repatriation-requests/${krRequestId}`).expect(200)).body;
    await tf['kr.officer']
      .post(`/repatriation-requests/${krRequestId}/withdraw`, { version: kr.version })
      .expect(200);
    expect(
      (await tf['kh.liaison'].get(`/repatriation-requests/${khDraftId}`).expect(200)).body.allowedActions,
    ).toContain('approve');
    await tf['kh.liaison']
      .post(`/repatriation-requests/${khDraftId}/approve`, { version: submitted.version })
      .expect(200);
    expect(await openRows(arrestId)).toEqual([{ origin: 'KH', sent: true }]);
  });

  it('both sides sending at once: one is sent, the other gets a conflict, never two sent', async () => {
    const arrest = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-04-04T10:00:00+07:00',
          place: 'Bavet compound',
          grounds: 'Fraud',
          arrestingAgency: 'Cambodian National Police',
          nationality: 'KR',
          person: { names: [{ full: 'KIM Race', script: 'latin', kind: 'primary' }] },
        })
        .expect(201)
    ).body.id;
    await tf['kh.liaison'].post(`/arrests/${arrest}/shares`, { countryCode: 'KR' }).expect(200);
    const submittedBy = async (side: 'kh' | 'kr', target: string) => {
      const d = (
        await tf[`${side}.officer`]
          .post('/repatriation-requests', { ...body(target, `${side} race`), arrestIds: [arrest] })
          .expect(201)
      ).body;
      const s = (
        await tf[`${side}.officer`]
          .post(`/repatriation-requests/${d.id}/submit`, { version: d.version })
          .expect(200)
      ).body;
      return { id: d.id as string, version: s.version as number };
    };
    const [kh, kr] = [await submittedBy('kh', 'KR'), await submittedBy('kr', 'KH')];
    const results = await Promise.all([
      tf['kh.liaison'].post(`/repatriation-requests/${kh.id}/approve`, { version: kh.version }),
      tf['kr.liaison'].post(`/repatriation-requests/${kr.id}/approve`, { version: kr.version }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.body.detail).toMatch(
      /already on another open repatriation request/,
    );
    expect((await openRows(arrest)).filter((r) => r.sent)).toHaveLength(1);
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
    // Sending it is the liaison's step, and a KH liaison reads the RED request: the conflict names it.
    const khSubmitted = (
      await tf['kh.officer']
        .post(`/repatriation-requests/${probe.body.id}/submit`, { version: probe.body.version })
        .expect(200)
    ).body;
    const redReference = (await tf['kh.liaison'].get(`/repatriation-requests/${red.id}`).expect(200)).body
      .reference;
    const approve = await tf['kh.liaison']
      .post(`/repatriation-requests/${probe.body.id}/approve`, { version: khSubmitted.version })
      .expect(409);
    expect(approve.body.detail).toContain(redReference);
  });
});
