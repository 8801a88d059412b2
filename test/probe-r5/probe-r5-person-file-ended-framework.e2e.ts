import { aPdf, upload } from '../attachments/attachment-support';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { personKhGaveKr } from '../sharing/support';

/**
 * Probe (round 5): files the owner attached to, or withdrew from, a person while the framework had ended
 * show with their times once cooperation resumes. KH gave KR a person; the Cambodia–Korea framework ends;
 * KH edits the person (KR keeps a copy and reads the person as it stood, files included: nothing more
 * goes), attaches a file to the person and withdraws one KR had read. The framework is renewed and KH
 * edits the person again: "a renewed framework brings the live person back at the next edit". KR now
 * reads the person's files: the one attached during the gap with `uploadedAt` = the moment KH attached
 * it while KR could receive nothing, and the withdrawn one with `withdrawnAt` = the moment of the
 * withdrawal during the gap. The person's own `updatedAt` is the renewal edit (round 4), its files'
 * times are not: KR learns when KH worked on the person's file while cooperation had ended.
 * Fix: src/attachments/attachments.store.ts `selectAs` (with `notAfterKeptCopy`): for a person the
 * reader kept a copy of, a file filed or withdrawn after the copy was taken reads no earlier than the
 * arrival that brought the live person back (the edit after the renewal that dropped the copy, i.e. the
 * reader's last arrival `personSeenSince(…, 'max')`), as `toPersonView` does for the person itself.
 */
describe('Probe r5: a person’s files changed while the framework had ended show their times after renewal', () => {
  let t: TestApp;
  let tf: TaskForce;
  let admin: SignedIn;
  let personId: string;
  let gapUploadAt: string;
  let gapWithdrawnAt: string;
  let personRead: Record<string, unknown>;
  let files: Array<{ filename: string; uploadedAt: string; withdrawnAt: string | null; status: string }>;
  const pause = () => new Promise((resolve) => setTimeout(resolve, 50));
  const setActive = (active: boolean) =>
    admin.patch(`/frameworks/${tf.cambodiaKoreaFramework}`, { active }).expect(200);

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    admin = await signIn(t.server, 'platform.admin');
    personId = await personKhGaveKr(tf, 'GREEN', 'SAR Gapfile', {});
    const photo = (
      await upload(
        t,
        tf['kh.officer'],
        `/persons/${personId}/attachments`,
        aPdf(3_000, 'photo'),
        'photo.pdf',
      ).expect(201)
    ).body;
    expect(
      (await tf['kr.officer'].get(`/persons/${personId}/attachments`).expect(200)).body.items,
    ).toHaveLength(1);

    await setActive(false);
    try {
      await pause();
      const before = (await tf['kh.officer'].get(`/persons/${personId}`).expect(200)).body;
      await tf['kh.officer']
        .patch(`/persons/${personId}`, {
          names: before.names,
          notes: 'Left for Bavet',
          version: before.version,
        })
        .expect(200);
      gapUploadAt = (
        await upload(
          t,
          tf['kh.officer'],
          `/persons/${personId}/attachments`,
          aPdf(3_000, 'gap'),
          'gap.pdf',
        ).expect(201)
      ).body.uploadedAt;
      gapWithdrawnAt = (
        await tf['kh.officer']
          .post(`/attachments/${photo.id}/withdraw`, { reason: 'Wrong person' })
          .expect(200)
      ).body.withdrawnAt;
      // Nothing of it reaches KR meanwhile.
      const kept = (await tf['kr.officer'].get(`/persons/${personId}/attachments`).expect(200)).body.items;
      expect(kept.map((f: { filename: string; status: string }) => [f.filename, f.status])).toEqual([
        ['photo.pdf', 'active'],
      ]);
      await pause();
    } finally {
      await setActive(true);
    }
    await pause();
    // Cooperation resumed: KH's next edit brings the live person back to KR.
    const current = (await tf['kh.officer'].get(`/persons/${personId}`).expect(200)).body;
    await tf['kh.officer']
      .patch(`/persons/${personId}`, { names: current.names, notes: 'Arrested', version: current.version })
      .expect(200);
    personRead = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;
    files = (await tf['kr.officer'].get(`/persons/${personId}/attachments`).expect(200)).body.items;
  }, 120_000);
  afterAll(() => t?.close());

  it('KR reads the live person again, and its files as they stand', () => {
    expect(personRead).toMatchObject({ notes: 'Arrested', keptSince: null });
    expect(files.map((f) => [f.filename, f.status]).sort()).toEqual(
      [
        ['gap.pdf', 'active'],
        ['photo.pdf', 'withdrawn'],
      ].sort(),
    );
  });

  it('but the file attached during the gap does not read as attached then', () => {
    const gap = files.find((f) => f.filename === 'gap.pdf')!;
    expect(gap.uploadedAt).not.toBe(gapUploadAt);
    expect(Date.parse(gap.uploadedAt)).toBeGreaterThanOrEqual(Date.parse(personRead.updatedAt as string));
  });

  it('nor the file withdrawn during the gap as withdrawn then', () => {
    const photo = files.find((f) => f.filename === 'photo.pdf')!;
    expect(photo.withdrawnAt).not.toBe(gapWithdrawnAt);
    expect(Date.parse(photo.withdrawnAt!)).toBeGreaterThanOrEqual(Date.parse(personRead.updatedAt as string));
  });
});
