import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 7): a person DROPPED from a repatriation request (the request's "unlink") keeps the
 * arrest, and the person, live to the home country. KR arrests two Cambodian nationals (KR persons) and
 * sends KH a repatriation request for both (submit, approve; KH accepts). KR drops one of them
 * (`POST /repatriation-requests/:id/drop { arrestId: A, reason: 'charged_locally' }`): that person no
 * longer travels, and KH has no reason to follow that arrest any more. KR then transfers the person
 * (`POST /arrests/A/custody { status: 'transferred', reason }`) and renames it. KH's
 * `GET /arrests/A` shows `custodyStatus: 'transferred'` and the new name, `GET /arrests/A/custody` the
 * step with KR's internal reason and officer, `GET /repatriation-requests/:id` the new name and custody
 * under the dropped row, and `GET /persons/:id` the new name: `arrestScope` opens an arrest to the
 * nationality's country while ANY visible repatriation request holds it, dropped or not.
 * Fix: src/access/scopes.ts `arrestScope` / `arrestReceivedScope` (only a repatriation row not dropped,
 * or the arrest as it stood at the drop) and `personScope` (`request_person` of a dropped person), and
 * src/repatriations/repatriation-view.service.ts `viewExtras` (a dropped row shows names and custody as
 * at the drop).
 */
describe('Probe r7: an arrest dropped from a repatriation request stays live to the home country', () => {
  let t: TestApp;
  let tf: TaskForce;
  let dropped: { id: string; person: { id: string } };
  let request: {
    persons: Array<{
      arrestId: string;
      state: string;
      custodyStatus: string | null;
      names: Array<{ full: string }>;
    }>;
  };
  let arrest: unknown;
  let custody: unknown;
  let person: unknown;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const arrested = async (full: string) =>
      (
        await tf['kr.officer']
          .post('/arrests', {
            arrestedAt: '2026-04-02T08:00:00Z',
            place: 'Incheon airport',
            grounds: 'Fraud',
            arrestingAgency: 'Korean National Police Agency',
            nationality: 'KH',
            person: { names: [{ full, script: 'latin', kind: 'primary' }], nationalities: ['KH'] },
          })
          .expect(201)
      ).body as { id: string; person: { id: string } };
    dropped = await arrested('SOK Dropped');
    const travelling = await arrested('SOK Travelling');
    const draft = (
      await tf['kr.officer']
        .post('/repatriation-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KH',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: 'Return of two',
          arrestIds: [dropped.id, travelling.id],
        })
        .expect(201)
    ).body;
    const path = `/repatriation-requests/${draft.id}`;
    let r = (await tf['kr.officer'].post(`${path}/submit`, { version: draft.version }).expect(200)).body;
    r = (await tf['kr.liaison'].post(`${path}/approve`, { version: r.version }).expect(200)).body;
    r = (await tf['kh.liaison'].post(`${path}/accept`, { version: r.version }).expect(200)).body;
    await tf['kr.officer']
      .post(`${path}/drop`, {
        version: r.version,
        arrestId: dropped.id,
        reason: 'charged_locally',
        note: 'Stays for trial',
      })
      .expect(200);

    const own = (await tf['kr.officer'].get(`/arrests/${dropped.id}`).expect(200)).body;
    await tf['kr.officer']
      .post(`/arrests/${dropped.id}/custody`, {
        status: 'transferred',
        reason: 'Moved after the drop: KR internal reason',
        version: own.version,
      })
      .expect(200);
    const p = (await tf['kr.officer'].get(`/persons/${dropped.person.id}`).expect(200)).body;
    await tf['kr.officer']
      .patch(`/persons/${dropped.person.id}`, {
        version: p.version,
        names: [{ full: 'SOK DroppedRenamed', script: 'latin', kind: 'primary' }],
        nationalities: ['KH'],
      })
      .expect(200);

    const kh = tf['kh.liaison'];
    request = (await kh.get(path).expect(200)).body;
    arrest = (await kh.get(`/arrests/${dropped.id}`).expect(404)).body;
    custody = (await kh.get(`/arrests/${dropped.id}/custody`).expect(404)).body;
    person = (await kh.get(`/persons/${dropped.person.id}`)).body;
  }, 120_000);
  afterAll(() => t?.close());

  it('KH reads the request with the person dropped', () => {
    const row = request.persons.find((x) => x.arrestId === dropped.id);
    expect(row?.state).toBe('dropped');
  });

  it("the request's dropped row shows neither KR's later custody step nor the new name", () => {
    const row = request.persons.find((x) => x.arrestId === dropped.id)!;
    expect(row.custodyStatus).not.toBe('transferred');
    expect(row.names.map((n) => n.full)).not.toContain('SOK DroppedRenamed');
  });

  it("KH's arrest view and custody history show nothing KR did after the drop", () => {
    expect(JSON.stringify(arrest)).not.toContain('transferred');
    expect(JSON.stringify(arrest)).not.toContain('SOK DroppedRenamed');
    expect(JSON.stringify(custody)).not.toContain('KR internal reason');
  });

  it("KH's person view does not show the name KR gave after the drop", () => {
    expect(JSON.stringify(person)).not.toContain('SOK DroppedRenamed');
  });
});
