import { khCaseSharedWithKr } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 5): a save that changes nothing the partner reads still moves the `updatedAt` the partner
 * reads, so it tells the partner when the owner worked on the record. KH shares a case (and its person)
 * with KR. KH's officer then saves the case with the title it already has, together with a new lead
 * officer (the lead officer alone no longer moves a partner's `updatedAt`, round 4 — but any other field
 * present in the PATCH does, changed or not: `CasesService.update` sets `content_updated_at` when a key
 * other than `leadOfficerId` is in the change set, not when its value differs), and saves the person
 * unchanged (`PersonsService.update` writes the row, and the `@UpdateDateColumn` moves). KR reads the
 * very same case and person as before, yet both `updatedAt`s moved to the moment of KH's saves: KR
 * learns when KH touched them (here: the time of an internal reassignment of the case).
 * Fix: src/cases/cases.service.ts `update` — set `contentUpdatedAt` only when a field a partner reads
 * (title, summary, tags, status) changes value; src/persons/persons.service.ts `update` — a save that
 * changes no field leaves `updated_at` alone (or partners read a content time, as cases do).
 */
describe('Probe r5: a save that changes nothing the partner reads moves its updatedAt', () => {
  let t: TestApp;
  let tf: TaskForce;
  let caseId: string;
  let personId: string;
  let caseBefore: Record<string, unknown>;
  let caseAfter: Record<string, unknown>;
  let personBefore: Record<string, unknown>;
  let personAfter: Record<string, unknown>;
  const pause = () => new Promise((resolve) => setTimeout(resolve, 50));
  const comparable = (v: Record<string, unknown>) => {
    const { updatedAt: _u, ...rest } = v;
    return rest;
  };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    ({ personId, caseId } = await khCaseSharedWithKr(
      tf,
      {
        names: [{ full: 'KEO Nochange', script: 'latin', kind: 'primary' }],
        nationalities: ['KH'],
        notes: 'Driver',
      },
      'Saved unchanged',
      'AMBER',
    ));
    caseBefore = (await tf['kr.officer'].get(`/cases/${caseId}`).expect(200)).body;
    personBefore = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;

    await pause();
    // KH hands the case to another officer, its form sending the title back as it was.
    const owned = (await tf['kh.officer'].get(`/cases/${caseId}`).expect(200)).body;
    await tf['kh.officer']
      .patch(`/cases/${caseId}`, {
        version: owned.version,
        title: owned.title,
        leadOfficerId: await tf.userId('kh.officer2'),
      })
      .expect(200);
    // And saves the person as it stands.
    const person = (await tf['kh.officer'].get(`/persons/${personId}`).expect(200)).body;
    await tf['kh.officer']
      .patch(`/persons/${personId}`, {
        version: person.version,
        names: person.names,
        nationalities: person.nationalities,
        notes: person.notes,
      })
      .expect(200);
    await pause();

    caseAfter = (await tf['kr.officer'].get(`/cases/${caseId}`).expect(200)).body;
    personAfter = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;
  }, 120_000);
  afterAll(() => t?.close());

  it('KR reads the same case and person as before', () => {
    expect(comparable(caseAfter)).toEqual(comparable(caseBefore));
    expect(comparable(personAfter)).toEqual(comparable(personBefore));
  });

  it('so the case’s updatedAt KR reads has not moved', () => {
    expect(caseAfter.updatedAt).toBe(caseBefore.updatedAt);
  });

  it('nor the person’s', () => {
    expect(personAfter.updatedAt).toBe(personBefore.updatedAt);
  });
});
