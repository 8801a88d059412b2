import { aPdf, download, sha256 } from '../attachments/attachment-support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { bundleOf, EXTENSIONS, krAttaches, krCaseSharedWithKh, savedNameOf } from './r24-support';

/**
 * Probe r24: file names a hostile partner gives, and the names the recipient's browser and unzip save
 * the files under. The type of a file is read from its bytes, never from its name, so a text file may
 * be called `run.bat` or `x.hta` and a PDF `statement.exe`: saved under that name, a double-click runs
 * the text as a script. And a name of 255 characters fits the upload rule but not a file system (255
 * bytes), the less so behind the bundle's `001-`; `a:b`, `a<b>|?*` and a trailing dot cannot be made on
 * Windows (or `a:b` writes an NTFS stream). Found: all were served and zipped as given. Now the name a
 * file is saved under (download and bundle alike) ends in its type's extension, has `_` for what
 * Windows refuses and fits 255 bytes; the label (`filename`, the manifest) stays as given.
 */
describe('Probe r24: the names files are saved under', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const text = (seed: string) => Buffer.from(`Seized notes ${seed}\n`);
  const HOSTILE: Array<[string, Buffer]> = [
    ['run.bat', text('bat')],
    ['update.ps1', text('ps1')],
    ['open.hta', text('hta')],
    ['page.html', text('html')],
    ['logo.svg', text('svg')],
    ['script.js', text('js')],
    ['CON', text('con')],
    ['aux.txt', text('aux')],
    ['report.pdf.', text('dot')],
    ['a:b.pdf', aPdf(3000, 'colon')],
    ['a<b>|?*".pdf', aPdf(3000, 'forbidden')],
    ['statement.exe', aPdf(3000, 'exe')],
    ['x'.repeat(255), text('long ascii')],
    ['\u{1F600}'.repeat(255), text('long emoji')],
    ['\uFDFA'.repeat(255), text('long ligature')],
    ['\u{1F600}'.repeat(250) + '.pdf', aPdf(3000, 'long pdf')],
    ['Statement.PDF', aPdf(3000, 'upper')],
    ['statement.pdf', aPdf(3000, 'lower')],
    ['statement.pdf', aPdf(3000, 'again')],
    ['Cafe\u0301.txt', text('nfd')],
    ['Caf\u00e9.txt', text('nfc')],
  ];

  const windowsRefuses = /[<>:"|?*]|[. ]$/;

  it('a download is saved under a name ending in its type, fit for any file system; the label stays as given', async () => {
    const caseId = await krCaseSharedWithKh(tf, 'Hostile names');
    const wrong: string[] = [];
    for (const [name, bytes] of HOSTILE) {
      const a = await krAttaches(t, tf, caseId, bytes, name);
      expect(a.filename).toBe(name.normalize('NFC'));
      const res = await download(t, tf['kh.officer'], a.id).expect(200);
      const disposition = res.headers['content-disposition'] as string;
      const saved = savedNameOf(disposition);
      const extension = saved.slice(saved.lastIndexOf('.') + 1).toLowerCase();
      const problems = [
        !disposition.startsWith('attachment;') && 'not an attachment',
        res.headers['x-content-type-options'] !== 'nosniff' && 'no nosniff',
        !EXTENSIONS[a.mediaType].includes(extension) &&
          `ends in .${extension.slice(0, 12)} for ${a.mediaType}`,
        Buffer.byteLength(saved) > 255 && `${Buffer.byteLength(saved)} bytes`,
        windowsRefuses.test(saved) && 'a name Windows refuses',
      ].filter(Boolean);
      if (problems.length)
        wrong.push(
          `${JSON.stringify(name.slice(0, 20))} saved as ${JSON.stringify(saved.slice(0, 30))}: ${problems.join(', ')}`,
        );
    }
    expect(wrong).toEqual([]);
    // A name that already says what the file is keeps it, to the byte.
    const plain = await krAttaches(t, tf, caseId, aPdf(3000, 'plain'), 'Statement of 3 March.pdf');
    const res = await download(t, tf['kh.officer'], plain.id).expect(200);
    expect(savedNameOf(res.headers['content-disposition'] as string)).toBe('Statement of 3 March.pdf');
  });

  it("the bundle's entries unpack one file each, under names any unzip can write, checked by SHA256SUMS", async () => {
    const caseId = await krCaseSharedWithKh(tf, 'Hostile bundle');
    const ids = new Map<string, string>();
    for (const [name, bytes] of HOSTILE) ids.set((await krAttaches(t, tf, caseId, bytes, name)).id, name);
    const entries = await bundleOf(tf, 'kh.officer', caseId);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString()) as {
      files: Array<{
        attachmentId: string;
        path: string;
        filename: string;
        mediaType: string;
        sha256: string;
      }>;
    };
    expect(manifest.files).toHaveLength(HOSTILE.length);
    const wrong: string[] = [];
    for (const f of manifest.files) {
      // The manifest keeps the name as given; the path is what an unzip writes.
      expect(f.filename).toBe(ids.get(f.attachmentId)!.normalize('NFC'));
      const [folder, base, ...rest] = f.path.split('/');
      const extension = base.slice(base.lastIndexOf('.') + 1).toLowerCase();
      const problems = [
        (folder !== 'files' || rest.length > 0) && 'not one file under files/',
        !EXTENSIONS[f.mediaType].includes(extension) &&
          `ends in .${extension.slice(0, 12)} for ${f.mediaType}`,
        Buffer.byteLength(base) > 255 && `${Buffer.byteLength(base)} bytes`,
        windowsRefuses.test(base) && 'a name Windows refuses',
        sha256(entries.get(f.path)!) !== f.sha256 && 'other bytes',
      ].filter(Boolean);
      if (problems.length)
        wrong.push(
          `${JSON.stringify(f.filename.slice(0, 20))} at ${JSON.stringify(f.path.slice(0, 40))}: ${problems.join(', ')}`,
        );
    }
    expect(wrong).toEqual([]);
    // No two entries land on one file where names are compared without case or normalisation.
    const folded = manifest.files.map((f) => f.path.normalize('NFKC').toLowerCase());
    expect(new Set(folded).size).toBe(folded.length);
    const sums = entries.get('SHA256SUMS')!.toString().trim().split('\n');
    expect(sums.sort()).toEqual(manifest.files.map((f) => `${f.sha256}  ${f.path}`).sort());
  });
});
