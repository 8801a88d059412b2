import { aDraft, taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

interface AuditEventView {
  action: string;
  details: Record<string, unknown> | null;
}

/**
 * Probe (round 12): a former recipient's kept copy of a person goes, unaudited, when the owner sends it
 * a request naming the person. KH records a person, links it into a case and shares the case with KR;
 * KR links the person into a case of its own; KH revokes the share and corrects the person's name. The
 * edit takes KR's copy (`ReleaseService.keepForEndedCooperation`) and KH's auditor reads it on the person:
 * `person.kept_copy` with `details.keptFor: ['KR']` — KR reads the old name from then on. KH then sends KR
 * an information request naming the person (`approve`): src/sharing/release.service.ts `requestSent` →
 * src/persons/kept-copies.store.ts `dropForSentRequest` deletes KR's copy (and records its return,
 * `person_return`), so KR reads the live person again, the corrected name included. No event says so:
 * the person's history still ends on "KR keeps a copy", whereas the same change made at an edit is audited
 * (`person.kept_copy` with `details.liveAgainFor`). The re-share path (`release`, `copies.drop` for a
 * channel other than a request) drops a copy the same way, without the event.
 * Fix: in `requestSent` (and the share path), record `person.kept_copy` with `liveAgainFor` for each
 * person whose copy was dropped, owned by the person's owner, in the same transaction — as
 * `keepForEndedCooperation` does.
 */
describe('Probe r12: a kept copy dropped when the owner sends a request is not in the person’s audit history', () => {
  let t: TestApp;
  let tf: TaskForce;
  let personId: string;
  let readBefore: string;
  let readAfter: string;
  let events: AuditEventView[];

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const name = (full: string) => [{ full, script: 'latin', kind: 'primary' }];
    const person = (
      await tf['kh.officer']
        .post('/persons', { names: name('SOK Keptcopy'), nationalities: ['KH'] })
        .expect(201)
    ).body;
    personId = person.id;
    const persons = [{ personId, role: 'suspect' }];
    const caseId = (await tf['kh.officer'].post('/cases', { title: 'Bavet compound', persons }).expect(201))
      .body.id as string;
    await tf['kh.liaison']
      .post(`/cases/${caseId}/shares`, { countryCode: 'KR', handlingCode: 'CLEAR' })
      .expect(201);
    await tf['kr.officer'].post('/cases', { title: 'KR own case', persons }).expect(201);
    await tf['kh.liaison'].delete(`/cases/${caseId}/shares/KR`).expect(200);
    const current = (await tf['kh.officer'].get(`/persons/${personId}`).expect(200)).body;
    await tf['kh.officer']
      .patch(`/persons/${personId}`, {
        version: current.version,
        names: name('SOK Corrected'),
        nationalities: ['KH'],
      })
      .expect(200);
    readBefore = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body.names[0].full;

    const draft = (
      await tf['kh.officer']
        .post(
          '/information-requests',
          aDraft(tf.cambodiaKoreaFramework, { targetCountry: 'KR', personIds: [personId] }),
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
    readAfter = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body.names[0].full;
    events = (
      await tf['kh.auditor']
        .get(`/audit-events/timeline?recordType=person&recordId=${personId}&limit=200`)
        .expect(200)
    ).body.items;
  }, 120_000);
  afterAll(() => t?.close());

  it('KR read its kept copy, and reads the live person once the request is sent', () => {
    expect([readBefore, readAfter]).toEqual(['SOK Keptcopy', 'SOK Corrected']);
  });

  it('KH’s auditor reads that KR kept a copy', () => {
    const kept = events.filter((e) => e.action === 'person.kept_copy');
    expect(kept.map((e) => e.details?.keptFor)).toContainEqual(['KR']);
  });

  it('and that KR reads the live person again', () => {
    const liveAgain = events
      .filter((e) => e.action === 'person.kept_copy')
      .flatMap((e) => (e.details?.liveAgainFor as string[] | undefined) ?? []);
    expect(liveAgain).toContain('KR');
  });
});
