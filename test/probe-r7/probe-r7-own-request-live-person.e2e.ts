import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

type Names = Array<{ full: string }>;

/**
 * Probe (round 7): generalising r6's arrest leak to requests. A country that names another country's
 * person in a request of its OWN — any kind, even a draft it never sends — keeps reading the LIVE person
 * after its access to it ends: `personScope` counts every request the reader may read through
 * `request_person`, and the origin reads its requests in every state. KH shares a case holding its
 * persons A and B with KR (GREEN). KR drafts an information request to KH naming A
 * (`POST /information-requests { personIds: [A] }`), arrests B (`POST /arrests { personId: B }`) and
 * drafts a repatriation request to KH for that arrest (`POST /repatriation-requests { arrestIds }`).
 * KH revokes the share (`DELETE /cases/:id/shares/KR`) and renames both, changing A's birth date and
 * phone. Then:
 *  - KR's `GET /persons/A` (and the search) shows KH's new name, birth date and phone;
 *  - KR's `GET /repatriation-requests/:id` and its list show B's new name under `persons[].names`
 *    (the view reads `p.names` of the live person; a kept copy only at a framework's end);
 *  - KR's `GET /arrests/:id` shows B's new name again: r6's fix (`person_as_recorded`, used only when
 *    KR no longer reads the person) is bypassed, because the repatriation draft keeps B in
 *    `personScope`.
 * Fix: src/access/scopes.ts `personScope` / `personReceivedScope` (the reader's own request is not a
 * channel from the owner: only a request the OTHER country sent, or findings it gave), with the person
 * view reading a copy as it stood when the last channel from the owner ended;
 * src/repatriations/repatriation-view.service.ts `viewExtras` (names as recorded with the arrest or
 * the kept copy, as `ArrestsService.views` does).
 */
describe("Probe r7: a country's own request shows another country's person live after the share is revoked", () => {
  let t: TestApp;
  let tf: TaskForce;
  let a: string;
  let b: string;
  let arrestId: string;
  let repatriationId: string;
  let personA: { status: number; body: unknown };
  let searchA: unknown[];
  let repatriation: { persons: Array<{ personId: string; names: Names }> };
  let repatriationListed: { persons: Array<{ personId: string; names: Names }> } | undefined;
  let arrest: { person: { names: Names } };

  const edit = async (personId: string, changes: object) => {
    const current = (await tf['kh.officer'].get(`/persons/${personId}`).expect(200)).body;
    await tf['kh.officer']
      .patch(`/persons/${personId}`, { version: current.version, nationalities: ['KH'], ...changes })
      .expect(200);
  };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const person = (full: string, phone: string) =>
      tf['kh.officer']
        .post('/persons', {
          names: [{ full, script: 'latin', kind: 'primary' }],
          nationalities: ['KH'],
          birthDate: '1990',
          phones: [phone],
        })
        .expect(201)
        .then((res) => res.body.id as string);
    a = await person('SOK Asked', '+85512000601');
    b = await person('SOK Returned', '+85512000602');
    const caseId = (
      await tf['kh.officer']
        .post('/cases', {
          title: 'KH case shared with KR',
          persons: [
            { personId: a, role: 'suspect' },
            { personId: b, role: 'suspect' },
          ],
        })
        .expect(201)
    ).body.id as string;
    await tf['kh.liaison']
      .post(`/cases/${caseId}/shares`, { countryCode: 'KR', handlingCode: 'GREEN' })
      .expect(201);

    await tf['kr.officer']
      .post('/information-requests', {
        frameworkId: tf.cambodiaKoreaFramework,
        targetCountry: 'KH',
        priority: 'urgent',
        handlingCode: 'AMBER',
        subject: 'Where is he now?',
        questions: ['Last known address?'],
        personIds: [a],
      })
      .expect(201);
    arrestId = (
      await tf['kr.officer']
        .post('/arrests', {
          arrestedAt: '2026-04-02T08:00:00Z',
          place: 'Incheon airport',
          grounds: 'Fraud',
          arrestingAgency: 'Korean National Police Agency',
          nationality: 'KH',
          personId: b,
        })
        .expect(201)
    ).body.id;
    repatriationId = (
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
    ).body.id;

    await tf['kh.liaison'].delete(`/cases/${caseId}/shares/KR`).expect(200);
    await edit(a, {
      names: [{ full: 'SOK AskedRenamed', script: 'latin', kind: 'primary' }],
      birthDate: '1988-02-03',
      phones: ['+85512000611'],
    });
    await edit(b, {
      names: [{ full: 'SOK ReturnedRenamed', script: 'latin', kind: 'primary' }],
      phones: ['+85512000602'],
    });

    const kr = tf['kr.officer'];
    personA = await kr.get(`/persons/${a}`);
    searchA = (await kr.get('/persons?name=AskedRenamed').expect(200)).body.items;
    repatriation = (await kr.get(`/repatriation-requests/${repatriationId}`).expect(200)).body;
    repatriationListed = (await kr.get('/repatriation-requests').expect(200)).body.items.find(
      (r: { id: string }) => r.id === repatriationId,
    );
    arrest = (await kr.get(`/arrests/${arrestId}`).expect(200)).body;
  }, 120_000);
  afterAll(() => t?.close());

  it('KR still reads its own repatriation request and arrest, naming the person', () => {
    expect(repatriation.persons.map((p) => p.personId)).toEqual([b]);
    expect(repatriationListed).toBeDefined();
  });

  it("KR's person view of A shows none of KH's edits made after the share was revoked", () => {
    const seen = JSON.stringify(personA.body);
    expect(seen).not.toContain('SOK AskedRenamed');
    expect(seen).not.toContain('1988-02-03');
    expect(seen).not.toContain('+85512000611');
    expect(JSON.stringify(searchA)).not.toContain('SOK AskedRenamed');
  });

  it("KR's repatriation request does not show the name KH gave B after the share was revoked", () => {
    expect(repatriation.persons[0]!.names.map((n) => n.full)).not.toContain('SOK ReturnedRenamed');
    expect(repatriationListed!.persons[0]!.names.map((n) => n.full)).not.toContain('SOK ReturnedRenamed');
  });

  it("KR's arrest of B does not show it either (r6's person_as_recorded is not bypassed by the request)", () => {
    expect(arrest.person.names.map((n) => n.full)).not.toContain('SOK ReturnedRenamed');
    expect(arrest.person.names.map((n) => n.full)).toContain('SOK Returned');
  });
});
