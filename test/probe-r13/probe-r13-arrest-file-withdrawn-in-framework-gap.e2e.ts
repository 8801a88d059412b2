import { upload } from '../attachments/attachment-support';
import { signIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 13): a file the arresting country withdraws while no framework joins it to the country an
 * arrest was shared with is read by that country, once cooperation resumes, with the withdrawal's own
 * time and reason. KH shares an arrest with KR and files a note on it; the platform administrator
 * suspends the Cambodia–Korea Joint Task Force (the arrest share ends with it, `arrestScope`); KH
 * withdraws the note with a reason; the framework is resumed. KR's `GET /attachments/:id` shows
 * `withdrawnAt` (a time in the gap) and `withdrawalReason`. A custody step taken in such a gap reads "as
 * of when cooperation resumed (its status only: no reason, actor or request)" (`stepNotTold`), and a
 * withdrawal of a case's or a person's file made while the reader could not read the record reads as of
 * its return (src/attachments/attachments.store.ts `selectAs`, `withdrawnFloor`) — but that floor is
 * given for cases and persons only, so an arrest's file carries the gap's reason and time to KR.
 * Fix: give arrest files the same floor (as of when cooperation resumed, or the arrest's new arrival)
 * and withhold a withdrawal reason written while the reader was not told.
 */
describe('Probe r13: an arrest file withdrawn while the framework was suspended reads with its gap reason', () => {
  let t: TestApp;
  let tf: TaskForce;
  let readDuringGap: number;
  let read: { status: string; withdrawalReason: string | null };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const admin = await signIn(t.server, 'platform.admin');
    const arrest = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-03T02:30:00Z',
          place: 'Sihanoukville',
          grounds: 'Online fraud',
          arrestingAgency: 'GDNP',
          nationality: 'KR',
          person: {
            names: [{ full: 'KIM Gapnote', script: 'latin', kind: 'primary' }],
            nationalities: ['KR'],
          },
        })
        .expect(201)
    ).body;
    await tf['kh.liaison'].post(`/arrests/${arrest.id}/shares`, { countryCode: 'KR' }).expect(200);
    const fileId = (
      await upload(
        t,
        tf['kh.officer'],
        `/arrests/${arrest.id}/attachments`,
        Buffer.from('Interview notes\n'),
        'notes.txt',
      ).expect(201)
    ).body.id;
    await admin.patch(`/frameworks/${tf.cambodiaKoreaFramework}`, { active: false }).expect(200);
    readDuringGap = (await tf['kr.officer'].get(`/attachments/${fileId}`)).status;
    await tf['kh.officer']
      .post(`/attachments/${fileId}/withdraw`, { reason: 'Mistaken identity in these notes' })
      .expect(200);
    await admin.patch(`/frameworks/${tf.cambodiaKoreaFramework}`, { active: true }).expect(200);
    read = (await tf['kr.officer'].get(`/attachments/${fileId}`).expect(200)).body;
  }, 120_000);
  afterAll(() => t?.close());

  it('KR could not read the file while the framework was suspended, and reads it withdrawn after', () => {
    expect(readDuringGap).toBe(404);
    expect(read.status).toBe('withdrawn');
  });

  it('but not why KH withdrew it while they did not cooperate', () => {
    expect(read.withdrawalReason).toBeNull();
  });
});
