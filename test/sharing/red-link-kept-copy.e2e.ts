import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { khCaseSharedWithKr, khEditsPerson } from './support';

interface PersonBody {
  phones: string[];
  notes: string | null;
}

/**
 * A RED request keeps no country live as a whole (probe r10): KR keeps a copy of KH's person P (the
 * share revoked, a phone added since); KH sends KR a RED request about P, assigned to a second KR
 * officer, and writes a note. The assigned officer, a named recipient, reads P live while the request is
 * under way; the other officer reads KR's copy; once KH closes the request, its recipient reads KR's
 * copy too, and no later edit of KH's reaches anyone in KR.
 */
describe('A RED request and a country’s kept copy', () => {
  let t: TestApp;
  let tf: TaskForce;
  let personId: string;
  const read: Record<string, PersonBody> = {};

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    let caseId: string;
    ({ personId, caseId } = await khCaseSharedWithKr(
      tf,
      {
        names: [{ full: 'SOK Redcopy', script: 'latin', kind: 'primary' }],
        nationalities: ['KH'],
        phones: ['+85512000600'],
      },
      'KH case shared with KR',
      'AMBER',
    ));
    await tf['kr.officer']
      .post('/cases', { title: 'KR own case', persons: [{ personId, role: 'suspect' }] })
      .expect(201);
    await tf['kh.liaison'].delete(`/cases/${caseId}/shares/KR`).expect(200);
    await khEditsPerson(tf, personId, { phones: ['+85512000600', '+85512000601'] });

    const red = givenIn(tf).anInformationRequest().from('KH').sentTo('KR').handledAs('RED').about(personId);
    await red.assignedTo('kr.officer2');
    await khEditsPerson(tf, personId, { phones: ['+85512000600', '+85512000601'], notes: 'RED note' });
    read.recipient = (await tf['kr.officer2'].get(`/persons/${personId}`).expect(200)).body;
    read.other = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;

    const fulfilled = await red.fulfilled({ findings: { summary: 'Nothing more on him' } });
    await tf['kh.liaison']
      .post(`/information-requests/${fulfilled.id}/close`, { version: fulfilled.version })
      .expect(200);
    await khEditsPerson(tf, personId, { phones: ['+85512000600', '+85512000601'], notes: 'After RED' });
    read.recipientAfter = (await tf['kr.officer2'].get(`/persons/${personId}`).expect(200)).body;
    read.liaisonAfter = (await tf['kr.liaison'].get(`/persons/${personId}`).expect(200)).body;
    read.otherAfter = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;
  }, 120_000);
  afterAll(() => t?.close());

  it('the assigned officer, a named recipient, reads the person the RED request carries', () => {
    expect(read.recipient!.notes).toBe('RED note');
    expect(read.recipient!.phones).toEqual(['+85512000600', '+85512000601']);
  });

  it('the other officer reads the copy KR kept', () => {
    expect(read.other!.notes).toBeNull();
    expect(read.other!.phones).toEqual(['+85512000600']);
  });

  it('once the RED request is closed, no one in KR reads the owner’s later edits', () => {
    for (const body of [read.recipientAfter!, read.liaisonAfter!, read.otherAfter!]) {
      expect(body.notes).toBeNull();
      expect(body.phones).toEqual(['+85512000600']);
    }
  });
});
