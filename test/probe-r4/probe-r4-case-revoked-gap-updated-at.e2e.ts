import { khCaseSharedWithKr } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 4): a shared case's `updatedAt` tells the partner when the owner worked on the case while
 * the partner had no access. KH shares a case with KR, revokes the share, edits the case (KR reads
 * nothing of it meanwhile: 404), and shares it again. KR's `createdAt` is the first share (as the README
 * says) and its `updatedAt` is "the later of that and the owner's last change" — so it is the time of
 * KH's edit made while the share was revoked, a moment KR never saw. Files get this right (a file filed
 * and withdrawn or replaced between a revocation and a new share never reached the reader, and one filed
 * then reads as uploaded at the new share: `attachmentDraftedAwaySql`, `attachments.store.ts`), but the
 * case's own times do not: KR learns when KH touched the case during the gap (and, by polling around a
 * revocation, that KH revoked in order to work on it).
 * The person linked into the case behaves the same way: KR cannot read it during the gap (404), yet after
 * the new share its `updatedAt` is the time of KH's edit of the person during the gap (`personSeenSince`
 * is the first release).
 * Fix: src/cases/cases.service.ts `view` + src/cases/dto/case.dto.ts `caseViewTimes` / `caseSeenSince`
 * (src/access/scopes.ts): for another country, a change made while its share was revoked reads as made
 * at the share that brought the case back (`updatedAt` = greatest(current share's `shared_at`, last
 * change)), as a file filed in the gap does; likewise src/persons/dto/person-view.dto.ts `toPersonView`
 * for a person that reached the reader only through that share.
 */
describe('Probe r4: the partner reads the time of an edit made while its share was revoked', () => {
  let t: TestApp;
  let tf: TaskForce;
  let caseId: string;
  let reSharedAt: string;
  let read: Record<string, unknown>;
  let personId: string;
  let personRead: Record<string, unknown>;
  const pause = () => new Promise((resolve) => setTimeout(resolve, 50));

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    ({ personId, caseId } = await khCaseSharedWithKr(
      tf,
      {
        names: [{ full: 'SOK Gapedit', script: 'latin', kind: 'primary' }],
        nationalities: ['KH'],
        notes: 'Cashier',
      },
      'Shared, then not',
      'AMBER',
    ));
    await tf['kh.liaison']
      .delete(`/cases/${caseId}/shares/KR`)
      .expect((res) => expect(res.status).toBeLessThan(300));
    await tf['kr.officer'].get(`/cases/${caseId}`).expect(404);
    await tf['kr.officer'].get(`/persons/${personId}`).expect(404);

    // While KR reads nothing of the case, KH edits it.
    await pause();
    const owned = (await tf['kh.officer'].get(`/cases/${caseId}`).expect(200)).body;
    await tf['kh.officer']
      .patch(`/cases/${caseId}`, { version: owned.version, title: 'Worked on in private' })
      .expect(200);
    const person = (await tf['kh.officer'].get(`/persons/${personId}`).expect(200)).body;
    await tf['kh.officer']
      .patch(`/persons/${personId}`, {
        version: person.version,
        names: person.names,
        nationalities: person.nationalities,
        notes: 'Cashier; edited in private',
      })
      .expect(200);
    await pause();

    // KH shares it again: KR reads the case as it stands now.
    await tf['kh.liaison']
      .post(`/cases/${caseId}/shares`, { countryCode: 'KR', handlingCode: 'AMBER' })
      .expect(201);
    const again = (await tf['kh.officer'].get(`/cases/${caseId}`).expect(200)).body;
    reSharedAt = again.sharedWith.find((s: { countryCode: string }) => s.countryCode === 'KR').sharedAt;
    read = (await tf['kr.officer'].get(`/cases/${caseId}`).expect(200)).body;
    personRead = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;
  }, 120_000);
  afterAll(() => t?.close());

  it('KR reads the case again, as it stands now', () => {
    expect(read.title).toBe('Worked on in private');
  });

  it('but not when KH edited it during the gap: its updatedAt is no earlier than the share that brought it back', () => {
    expect(Date.parse(read.updatedAt as string)).toBeGreaterThanOrEqual(Date.parse(reSharedAt));
  });

  it('nor when KH edited the case’s person during the gap (the person’s updatedAt, same rule)', () => {
    expect(personRead.notes).toBe('Cashier; edited in private');
    expect(Date.parse(personRead.updatedAt as string)).toBeGreaterThanOrEqual(Date.parse(reSharedAt));
  });
});
