import { aPdf, upload } from '../attachments/attachment-support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 10): the file whose upload takes a former recipient's kept copy is shown to it about
 * half the time. KH shares a case holding ten persons with KR (CLEAR); KR links them into a case of its
 * own; KH revokes the share and then, with no edit in between, files one photo on each person. Each
 * upload takes KR's copy first (`ReleaseService.attachFile` → `keepForEndedCooperation`), and the rule is
 * "a file added by the change that took it is after" the copy (`notAfterKeptCopy`:
 * `kept_since <= uploaded_at`). But `person_kept_copy.kept_since` is `now()` in microseconds while
 * `attachment.uploaded_at` is `timestamptz(3)`, the same `now()` ROUNDED to milliseconds: whenever the
 * transaction began in the first half of a millisecond, `uploaded_at < kept_since` and KR's
 * `GET /persons/:id/attachments` lists the file KH filed after the share was revoked (seen in this
 * probe: `kept_since 05:32:32.825734`, `uploaded_at 05:32:32.825`). With ten persons at least one
 * shows almost always.
 * Fault: src/attachments/attachments.store.ts `notAfterKeptCopy` (and `COLUMNS`' `frozenAt` comparisons)
 * comparing a microsecond `kept_since` with a millisecond-rounded `uploaded_at`
 * (migrations/1763800024000-Attachments.ts, 1763800028000-PersonKeptCopies.ts).
 */
describe('Probe r10: a file filed after the link ended shows when its upload takes the kept copy', () => {
  let t: TestApp;
  let tf: TaskForce;
  const personIds: string[] = [];
  const listed: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    for (let i = 0; i < 10; i += 1)
      personIds.push(
        (
          await tf['kh.officer']
            .post('/persons', {
              names: [{ full: `SOK Racefile ${i}`, script: 'latin', kind: 'primary' }],
              nationalities: ['KH'],
            })
            .expect(201)
        ).body.id,
      );
    const persons = personIds.map((personId) => ({ personId, role: 'suspect' }));
    const caseId = (await tf['kh.officer'].post('/cases', { title: 'Ten suspects', persons }).expect(201))
      .body.id as string;
    await tf['kh.liaison']
      .post(`/cases/${caseId}/shares`, { countryCode: 'KR', handlingCode: 'CLEAR' })
      .expect(201);
    await tf['kr.officer'].post('/cases', { title: 'KR own case', persons }).expect(201);
    await tf['kh.liaison'].delete(`/cases/${caseId}/shares/KR`).expect(200);
    for (const [i, personId] of personIds.entries())
      await upload(
        t,
        tf['kh.officer'],
        `/persons/${personId}/attachments`,
        aPdf(3_000, `r10-race-${i}`),
        `filed-after-revocation-${i}.pdf`,
      ).expect(201);
    for (const personId of personIds)
      for (const f of (await tf['kr.officer'].get(`/persons/${personId}/attachments`).expect(200)).body.items)
        listed.push(f.filename as string);
  }, 120_000);
  afterAll(() => t?.close());

  it('KR is listed none of the files KH filed after the share was revoked', () => {
    expect(listed).toEqual([]);
  });
});
