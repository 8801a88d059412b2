import { aPdf, upload } from '../attachments/attachment-support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 7): a repatriation request withdrawn by its origin keeps showing the target the
 * origin's arrest, and its person, live. KR arrests a Cambodian national (a KR person) and sends KH a
 * repatriation request for that arrest (`POST /repatriation-requests { arrestIds }`, submit, approve):
 * KH reads the arrest and the person through it (`arrestScope`: the nationality's country while a
 * repatriation request for the arrest is visible to it). KR withdraws the request
 * (`POST /repatriation-requests/:id/withdraw`); the request still shows to KH as `withdrawn`, so it
 * still opens the arrest and the person to KH. KR then releases the person
 * (`POST /arrests/:id/custody { status: 'released', reason }`) and renames it. KH's
 * `GET /arrests/:id` shows `custodyStatus: 'released'` and the new name, `GET /arrests/:id/custody`
 * shows the step with KR's reason and officer, `GET /arrests/:id/attachments` a file KR filed on the
 * arrest afterwards, `GET /repatriation-requests/:id` shows both under
 * `persons[]`, and `GET /persons/:id` the new name: KR's withdrawal ended nothing.
 * Fix: src/access/scopes.ts `arrestScope` / `arrestReceivedScope` (a withdrawn repatriation request no
 * longer opens the arrest, or shows it only as it stood at the withdrawal, as `custodyWithheld` does
 * at a framework's end) and `personScope` (its persons likewise), and
 * src/repatriations/repatriation-view.service.ts `viewExtras` (names and custody as at the withdrawal).
 */
describe('Probe r7: a withdrawn repatriation request keeps showing the target the arrest live', () => {
  let t: TestApp;
  let tf: TaskForce;
  let arrestId: string;
  let personId: string;
  let request: {
    status: string;
    persons: Array<{ names: Array<{ full: string }>; custodyStatus: string | null }>;
  };
  let arrest: { status: number; body: unknown };
  let custody: { status: number; body: unknown };
  let person: { status: number; body: unknown };
  let files: Array<{ filename: string }>;
  let filesStatus: number;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const recorded = (
      await tf['kr.officer']
        .post('/arrests', {
          arrestedAt: '2026-04-02T08:00:00Z',
          place: 'Incheon airport',
          grounds: 'Fraud',
          arrestingAgency: 'Korean National Police Agency',
          nationality: 'KH',
          person: { names: [{ full: 'SOK National', script: 'latin', kind: 'primary' }], nationalities: ['KH'] },
        })
        .expect(201)
    ).body;
    arrestId = recorded.id;
    personId = recorded.person.id;
    const draft = (
      await tf['kr.officer']
        .post('/repatriation-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KH',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: 'Return of SOK',
          arrestIds: [arrestId],
        })
        .expect(201)
    ).body;
    const act = async (who: keyof TaskForce, action: string, version: number) =>
      (
        await (tf[who] as TaskForce['kr.officer'])
          .post(`/repatriation-requests/${draft.id}/${action}`, { version })
          .expect(200)
      ).body as { version: number };
    let r = await act('kr.officer', 'submit', draft.version);
    r = await act('kr.liaison', 'approve', r.version);
    await tf['kh.liaison'].get(`/arrests/${arrestId}`).expect(200);
    await act('kr.officer', 'withdraw', r.version);

    const own = (await tf['kr.officer'].get(`/arrests/${arrestId}`).expect(200)).body;
    await tf['kr.officer']
      .post(`/arrests/${arrestId}/custody`, {
        status: 'released',
        reason: 'Released after the withdrawal: KR internal reason',
        version: own.version,
      })
      .expect(200);
    const p = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;
    await tf['kr.officer']
      .patch(`/persons/${personId}`, {
        version: p.version,
        names: [{ full: 'SOK NationalRenamed', script: 'latin', kind: 'primary' }],
        nationalities: ['KH'],
      })
      .expect(200);

    await upload(
      t,
      tf['kr.officer'],
      `/arrests/${arrestId}/attachments`,
      aPdf(2_000, 'a'),
      'release-order-after-withdrawal.pdf',
    ).expect(201);

    const kh = tf['kh.liaison'];
    request = (await kh.get(`/repatriation-requests/${draft.id}`).expect(200)).body;
    arrest = await kh.get(`/arrests/${arrestId}`);
    custody = await kh.get(`/arrests/${arrestId}/custody`);
    person = await kh.get(`/persons/${personId}`);
    const listed = await kh.get(`/arrests/${arrestId}/attachments`);
    filesStatus = listed.status;
    files = listed.status === 200 ? listed.body.items : [];
  }, 120_000);
  afterAll(() => t?.close());

  it('the withdrawn request no longer opens the arrest to KH: its view, custody and files are 404', () => {
    expect([arrest.status, custody.status, filesStatus]).toEqual([404, 404, 404]);
  });

  it('KH still reads the request, as withdrawn', () => {
    expect(request.status).toBe('withdrawn');
    expect(request.persons).toHaveLength(1);
  });

  it("the request does not show KR's custody change or rename made after the withdrawal", () => {
    expect(request.persons[0]!.custodyStatus).not.toBe('released');
    expect(request.persons[0]!.names.map((n) => n.full)).not.toContain('SOK NationalRenamed');
  });

  it("KH's arrest view shows neither the release nor the new name", () => {
    const seen = JSON.stringify(arrest.body);
    expect(seen).not.toContain('"released"');
    expect(seen).not.toContain('SOK NationalRenamed');
  });

  it("KH's custody history of the arrest does not show the step KR took after the withdrawal", () => {
    const seen = JSON.stringify(custody.body);
    expect(seen).not.toContain('released');
    expect(seen).not.toContain('KR internal reason');
  });

  it("KH is not listed the file KR filed on the arrest after the withdrawal", () => {
    expect(files.map((f) => f.filename)).not.toContain('release-order-after-withdrawal.pdf');
  });

  it("KH's person view does not show the name KR gave after the withdrawal", () => {
    expect(JSON.stringify(person.body)).not.toContain('SOK NationalRenamed');
  });
});
