import { khCaseSharedWithKr, khEditsPerson } from '../sharing/support';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

interface PersonBody {
  phones: string[];
  notes: string | null;
}

/**
 * Probe (round 10): a RED request gives the live person back to the whole country, not to its named
 * recipients. KH shares a case holding its person P with KR (AMBER); a KR officer links P into a case of
 * KR's own; KH revokes the share and adds a phone to P (KR keeps a copy: its officer reads P without the
 * phone, correct). KH then sends KR a RED information request about P (`personIds: [P]`): only KR's
 * liaisons and the assigned officer may read it. At KH's next edit (a note) the copy is dropped for KR
 * as a whole (`keepForEndedCooperation`: the RED request is a live link to the country), and the KR
 * officer — not a recipient of the RED request — reads through its own case the live person: the phone
 * added during the gap and the note written while RED was the only link. README: "RED stays with the
 * named recipients only … inside a country too".
 * Fault: src/sharing/release.service.ts `recipientsOf`/`keepForEndedCooperation` and
 * src/persons/kept-copies.store.ts `drop`: a copy is per country, and a RED link drops it for every user
 * of the country; src/persons/persons.service.ts `viewsFor` then reads the live person for any reader.
 */
describe('Probe r10: a RED request ends the kept copy for officers who are not its recipients', () => {
  let t: TestApp;
  let tf: TaskForce;
  let personId: string;
  let officerBefore: PersonBody;
  let officerAfter: PersonBody;
  let liaison: PersonBody;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    let caseId: string;
    ({ personId, caseId } = await khCaseSharedWithKr(
      tf,
      {
        names: [{ full: 'SOK Redlink', script: 'latin', kind: 'primary' }],
        nationalities: ['KH'],
        phones: ['+85512000400'],
      },
      'KH case shared with KR',
      'AMBER',
    ));
    await tf['kr.officer']
      .post('/cases', { title: 'KR own case', persons: [{ personId, role: 'suspect' }] })
      .expect(201);
    await tf['kh.liaison'].delete(`/cases/${caseId}/shares/KR`).expect(200);
    await khEditsPerson(tf, personId, { phones: ['+85512000400', '+85512000401'] });
    officerBefore = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;

    await givenIn(tf).anInformationRequest().from('KH').sentTo('KR').handledAs('RED').about(personId).sent();
    await khEditsPerson(tf, personId, {
      phones: ['+85512000400', '+85512000401'],
      notes: 'Told to KR liaisons only (RED)',
    });
    officerAfter = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;
    liaison = (await tf['kr.liaison'].get(`/persons/${personId}`).expect(200)).body;
  }, 120_000);
  afterAll(() => t?.close());

  it('before the RED request the KR officer reads the copy KR kept', () => {
    expect(officerBefore.phones).toEqual(['+85512000400']);
  });

  it('the liaison, a named recipient, reads the person the RED request carries', () => {
    expect(liaison.notes).toBe('Told to KR liaisons only (RED)');
  });

  it('the KR officer, not a recipient of the RED request, still reads only the copy KR kept', () => {
    expect(officerAfter.phones).toEqual(['+85512000400']);
    expect(officerAfter.notes).toBeNull();
  });
});
