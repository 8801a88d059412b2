import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

interface AuditEventView {
  action: string;
  details: Record<string, unknown> | null;
}

/**
 * A kept copy that goes because the owner shares the person again is in the person's history, as one
 * that goes at an edit or a sent request is (probe r12): KH shares a case with KR, KR links the person
 * into a case of its own, KH revokes the share and corrects the name (KR keeps a copy), then shares the
 * case again. KR reads the corrected name, and KH's auditor reads both steps — and only those: the
 * first share and an edit after the second drop nothing and record no `person.kept_copy`.
 */
describe('a kept copy dropped by a new share is in the person’s audit history', () => {
  let t: TestApp;
  let tf: TaskForce;
  let readBefore: string;
  let readAfter: string;
  let kept: Array<Record<string, unknown> | null>;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const name = (full: string) => [{ full, script: 'latin', kind: 'primary' }];
    const personId = (
      await tf['kh.officer']
        .post('/persons', { names: name('SOK Reshared'), nationalities: ['KH'] })
        .expect(201)
    ).body.id as string;
    const persons = [{ personId, role: 'suspect' }];
    const caseId = (await tf['kh.officer'].post('/cases', { title: 'Bavet compound', persons }).expect(201))
      .body.id as string;
    const share = () =>
      tf['kh.liaison']
        .post(`/cases/${caseId}/shares`, { countryCode: 'KR', handlingCode: 'CLEAR' })
        .expect(201);
    const rename = async (full: string) => {
      const current = (await tf['kh.officer'].get(`/persons/${personId}`).expect(200)).body;
      await tf['kh.officer']
        .patch(`/persons/${personId}`, { version: current.version, names: name(full), nationalities: ['KH'] })
        .expect(200);
    };
    const krReads = async () =>
      (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body.names[0].full as string;

    await share();
    await tf['kr.officer'].post('/cases', { title: 'KR own case', persons }).expect(201);
    await tf['kh.liaison'].delete(`/cases/${caseId}/shares/KR`).expect(200);
    await rename('SOK Corrected');
    readBefore = await krReads();
    await share();
    readAfter = await krReads();
    await rename('SOK Corrected Again');

    const events: AuditEventView[] = (
      await tf['kh.auditor']
        .get(`/audit-events/timeline?recordType=person&recordId=${personId}&limit=200`)
        .expect(200)
    ).body.items;
    kept = events.filter((e) => e.action === 'person.kept_copy').map((e) => e.details);
  }, 120_000);
  afterAll(() => t?.close());

  it('KR reads its kept copy until the case is shared again, then the live person', () => {
    expect([readBefore, readAfter]).toEqual(['SOK Reshared', 'SOK Corrected']);
  });

  it('KH’s auditor reads that KR kept a copy, and that it reads the person live again', () => {
    expect(kept).toHaveLength(2);
    expect(kept).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ keptFor: ['KR'], liveAgainFor: [] }),
        expect.objectContaining({ keptFor: [], liveAgainFor: ['KR'] }),
      ]),
    );
  });
});
