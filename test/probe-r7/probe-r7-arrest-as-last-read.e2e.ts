import { khEditsPerson, krArrestsKhPerson } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 7, over-hiding, lower priority): r6's `arrest.person_as_recorded` is the person as the
 * arresting country read it when it RECORDED the arrest, not when it last read it. KH shares a case
 * holding its person P ("SOK First") with KR (GREEN); KR arrests P; while the share is still live KH
 * renames P "SOK Second" and gives a birth date, and KR's arrest shows that (KR reads P live, as it
 * should). KH revokes the share: KR's `GET /arrests/:id` now shows "SOK First" again, with no birth
 * date — it loses what it had legitimately received, instead of keeping "what it already received"
 * (the rule at a framework's end: a copy as the person stood when access ended).
 * Fix: src/arrests/arrest-recorder.service.ts / src/arrests/arrests.service.ts `views`: take the
 * person as the arresting country reads it when its last channel from the owner ends (the share's
 * revocation in src/sharing/release.service.ts, as `KeptCopiesStore.keep` at a framework's end), not
 * at the arrest's recording.
 */
describe('Probe r7: an arrest falls back to the person as at the arrest, not as KR last read it', () => {
  let t: TestApp;
  let tf: TaskForce;
  let whileShared: { person: { names: Array<{ full: string }>; birthDate: string | null } };
  let afterRevoke: { person: { names: Array<{ full: string }>; birthDate: string | null } };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const { personId, caseId, arrestId } = await krArrestsKhPerson(
      tf,
      { names: [{ full: 'SOK First', script: 'latin', kind: 'primary' }], nationalities: ['KH'] },
      'GREEN',
    );
    await khEditsPerson(tf, personId, {
      names: [{ full: 'SOK Second', script: 'latin', kind: 'primary' }],
      birthDate: '1991-05-06',
    });
    whileShared = (await tf['kr.officer'].get(`/arrests/${arrestId}`).expect(200)).body;
    await tf['kh.liaison'].delete(`/cases/${caseId}/shares/KR`).expect(200);
    await tf['kr.officer'].get(`/persons/${personId}`).expect(404);
    afterRevoke = (await tf['kr.officer'].get(`/arrests/${arrestId}`).expect(200)).body;
  }, 120_000);
  afterAll(() => t?.close());

  it('while shared, KR reads the name KH gave later', () => {
    expect(whileShared.person.names.map((n) => n.full)).toEqual(['SOK Second']);
  });

  it('after the revocation, KR keeps the person as it last read it', () => {
    expect(afterRevoke.person.names.map((n) => n.full)).toEqual(['SOK Second']);
    expect(afterRevoke.person.birthDate).toBe('1991-05-06');
  });
});
