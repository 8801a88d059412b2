import { aPdf, download, upload } from '../attachments/attachment-support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { krAttaches, krCaseSharedWithKh, savedNameOf } from './r24-support';

/**
 * Probe r24: names refused or kept at upload, beyond those test/attachments and probe-input4 send.
 * Found: the Arabic letter mark (U+061C) passed, though its kin the right-to-left mark (U+200F) and the
 * overrides were refused — all are bidirectional controls, which reorder what an officer reads of a
 * name. Now every `Bidi_Control` character is refused. Held: quotes, semicolons, CR/LF and `%` never
 * break out of `Content-Disposition`; NFD arrives as NFC; names alike but for case are two files.
 */
describe('Probe r24: hostile names at upload', () => {
  let t: TestApp;
  let tf: TaskForce;
  let caseId: string;
  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
    caseId = await krCaseSharedWithKh(tf, 'Upload names');
  });
  afterAll(() => t?.close());

  const rows = async () => Number((await t.dataSource.query(`SELECT count(*) AS n FROM attachment`))[0].n);

  it('every bidirectional control is a 400 naming X-Filename, nothing stored', async () => {
    const before = await rows();
    const refused: string[] = [];
    for (const mark of [
      '\u061C',
      '\u200E',
      '\u200F',
      '\u202A',
      '\u202B',
      '\u202C',
      '\u202D',
      '\u202E',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
    ]) {
      const res = await upload(
        t,
        tf['kr.officer'],
        `/cases/${caseId}/attachments`,
        aPdf(2000),
        `invoice${mark}fdp.exe.pdf`,
      );
      const fields = ((res.body.errors ?? []) as Array<{ field: string }>).map((e) => e.field);
      if (res.status === 400 && fields.includes('X-Filename')) refused.push(mark);
    }
    expect(refused.map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase()}`)).toEqual([
      'U+61C',
      'U+200E',
      'U+200F',
      'U+202A',
      'U+202B',
      'U+202C',
      'U+202D',
      'U+202E',
      'U+2066',
      'U+2067',
      'U+2068',
      'U+2069',
    ]);
    expect(await rows()).toBe(before);
  });

  it('a CR/LF, even percent-encoded twice over, never reaches a header; quotes and semicolons stay inside the name', async () => {
    for (const raw of ['a%0D%0ASet-Cookie%3A%20x%3Dy.pdf', 'a%0Ab.pdf', 'a%0Db.pdf', 'a%C2%85b.pdf'])
      expect(
        (
          await upload(t, tf['kr.officer'], `/cases/${caseId}/attachments`, aPdf(2000), null, {
            'X-Filename': raw,
          })
        ).status,
      ).toBe(400);
    const names = ['a";filename="evil.exe.pdf', "a';b=c.pdf", 'a%0D%0Ab.pdf', 'a\\"b.pdf'.replace('\\', '')];
    for (const name of names) {
      const a = await krAttaches(t, tf, caseId, aPdf(2000, name), name);
      const res = await download(t, tf['kh.officer'], a.id).expect(200);
      const disposition = res.headers['content-disposition'] as string;
      expect(res.headers['set-cookie']).toBeUndefined();
      // One filename and one filename* parameter, the quoted one closed where it ends.
      expect(disposition).toMatch(/^attachment; filename="[^"\\]*"; filename\*=UTF-8''[A-Za-z0-9%!._~-]+$/);
      expect(savedNameOf(disposition)).toBe(name.replace(/"/g, '_'));
      expect((await tf['kh.officer'].get(`/attachments/${a.id}`).expect(200)).body.filename).toBe(name);
    }
  });

  it('NFD arrives as NFC; names alike but for case are two files, both listed', async () => {
    const nfd = await krAttaches(t, tf, caseId, aPdf(2000, 'nfd'), 'Cafe\u0301.pdf');
    expect(nfd.filename).toBe('Caf\u00e9.pdf');
    const upper = await krAttaches(t, tf, caseId, aPdf(2000, 'upper'), 'EVIDENCE.pdf');
    const lower = await krAttaches(t, tf, caseId, aPdf(2000, 'lower'), 'evidence.pdf');
    const listed = (await tf['kh.officer'].get(`/cases/${caseId}/attachments?limit=100`).expect(200)).body
      .items as Array<{ id: string; filename: string }>;
    expect(
      listed
        .filter((a) => [upper.id, lower.id].includes(a.id))
        .map((a) => a.filename)
        .sort(),
    ).toEqual(['EVIDENCE.pdf', 'evidence.pdf']);
  });
});
