import { aPdf, upload } from '../attachments/attachment-support';
import { khCaseSharedWithKr } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

interface PersonBody {
  names?: Array<{ full: string }>;
  birthDate?: string | null;
  phones?: string[];
  documents?: Array<{ number: string }>;
  notes?: string | null;
}

/**
 * Probe (round 7): generalising r6's arrest leak. A country that links another country's person into a
 * case of its OWN keeps reading the LIVE person after its access to it ends: `personScope` counts every
 * case the reader may read, and the reader always reads its own cases. KH shares a case holding its
 * person P with KR (GREEN); KR opens its own case `KR own` with P (`POST /cases { persons: [P] }`);
 * KH revokes the share (`DELETE /cases/:id/shares/KR`) and edits P (new name, birth date, phone,
 * document, notes) and files a document on it. KR's `GET /persons/P`, `GET /persons?name=` / `?phone=` / `?document=` and
 * `GET /identifiers/seen-in`, `GET /persons/P/attachments` then show or confirm every one of KH's later edits: KH's revocation
 * ended nothing for P. r6 settled that "the arresting country's own arrest of another country's person
 * shows it nothing more: it read the person already, and loses it as any reader does"; a case of its
 * own is no different. What KR received it may keep (a copy as it stood when the share was revoked).
 * Fix: src/access/scopes.ts `personScope` / `personReceivedScope` (a reader's own case is not a
 * channel from the owner), with src/persons/persons.service.ts reading a copy taken when the last
 * channel from the owner ends (as `person_kept_copy` at a framework's end, `KeptCopiesStore.keep`,
 * called on revocation in src/sharing/release.service.ts), and the search/seen-in scopes likewise.
 */
describe("Probe r7: a country's own case shows another country's person live after the share is revoked", () => {
  let t: TestApp;
  let tf: TaskForce;
  let personId: string;
  let krCaseId: string;
  let one: { status: number; body: PersonBody };
  let byName: PersonBody[];
  let byPhone: PersonBody[];
  let byDocument: PersonBody[];
  let seenIn: Array<{ recordId: string }>;
  let krCase: { status: number; body: { persons?: Array<{ personId: string }> } };
  let files: Array<{ filename: string }>;
  let trail: string;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    let caseId: string;
    ({ personId, caseId } = await khCaseSharedWithKr(
      tf,
      {
        names: [{ full: 'SOK Original', script: 'latin', kind: 'primary' }],
        nationalities: ['KH'],
        birthDate: '1990',
        phones: ['+85512000999'],
      },
      'KH case shared with KR',
      'GREEN',
    ));
    krCaseId = (
      await tf['kr.officer']
        .post('/cases', { title: 'KR own case', persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body.id;
    await tf['kh.liaison'].delete(`/cases/${caseId}/shares/KR`).expect(200);

    const current = (await tf['kh.officer'].get(`/persons/${personId}`).expect(200)).body;
    await tf['kh.officer']
      .patch(`/persons/${personId}`, {
        version: current.version,
        names: [{ full: 'SOK Renamed', script: 'latin', kind: 'primary' }],
        nationalities: ['KH'],
        birthDate: '1988-02-03',
        phones: ['+85512000888'],
        documents: [{ type: 'passport', number: 'N7770001', issuingCountry: 'KH' }],
        notes: 'KH note written after the share was revoked',
      })
      .expect(200);
    await upload(
      t,
      tf['kh.officer'],
      `/persons/${personId}/attachments`,
      aPdf(3_000, 'later'),
      'filed-after-revocation.pdf',
    ).expect(201);

    const kr = tf['kr.officer'];
    one = await kr.get(`/persons/${personId}`);
    byName = (await kr.get('/persons?name=Renamed').expect(200)).body.items;
    byPhone = (await kr.get(`/persons?phone=${encodeURIComponent('+85512000888')}`).expect(200)).body.items;
    byDocument = (await kr.get('/persons?document=N7770001').expect(200)).body.items;
    seenIn = (
      await kr.get(`/identifiers/seen-in?kind=phone&value=${encodeURIComponent('+85512000888')}`).expect(200)
    ).body.items;
    krCase = await kr.get(`/cases/${krCaseId}`);
    // Less KR's own searches: the trail records what KR's officer asked (`person.search`), an echo.
    trail = JSON.stringify(
      (
        (await tf['kr.auditor'].get('/audit-events?limit=200').expect(200)).body.items as Array<{
          action: string;
        }>
      ).filter((e) => e.action !== 'person.search'),
    );
    const listed = await kr.get(`/persons/${personId}/attachments`);
    files = listed.status === 200 ? listed.body.items : [];
  }, 120_000);
  afterAll(() => t?.close());

  it('KR still reads its own case, with the person linked', () => {
    expect(krCase.status).toBe(200);
    expect(krCase.body.persons?.map((p) => p.personId)).toEqual([personId]);
  });

  it("KR's person view shows none of KH's edits made after the share was revoked", () => {
    const seen = JSON.stringify(one.body);
    expect(seen).not.toContain('SOK Renamed');
    expect(seen).not.toContain('1988-02-03');
    expect(seen).not.toContain('+85512000888');
    expect(seen).not.toContain('N7770001');
    expect(seen).not.toContain('after the share was revoked');
  });

  it("KR's person search does not find the person by the name, phone or document KH gave it later", () => {
    expect(byName.map((p) => JSON.stringify(p)).join()).not.toContain('SOK Renamed');
    expect(byPhone).toEqual([]);
    expect(byDocument).toEqual([]);
  });

  it('KR is not listed the file KH put on the person after the share was revoked', () => {
    expect(files.map((f) => f.filename)).not.toContain('filed-after-revocation.pdf');
  });

  it("KR's audit trail does not carry KH's later edits either", () => {
    expect(trail).not.toContain('SOK Renamed');
    expect(trail).not.toContain('N7770001');
  });

  it('seen-in does not confirm to KR the phone number KH added later', () => {
    expect(seenIn.map((i) => i.recordId)).not.toContain(personId);
  });
});
