import { createTestApp, TestApp } from '../support/test-app';
import { signIn, SignedIn } from '../support/http';
import { describeChange } from '../security/security-support';
import { problemOf as problem, refused, writeWatch } from './probe-input4-support';
import { RawAnswer, rawRequest } from './raw-http';

/**
 * Probe (input round 4): the headers of a file upload (`X-Filename`, its Content-Type, a multipart body
 * where the raw file is expected) and `Range` on a download, written byte for byte on a socket.
 *
 * Found: an `X-Filename` sent unencoded, as UTF-8 bytes, was stored as Node reads header bytes
 * (Latin-1): `café.txt` became the attachment `cafÃ©.txt`. And two `X-Filename` headers were merged
 * by Node into one name, `a.txt, b.txt`. Now a name that is not ASCII is a 400 (it must be
 * percent-encoded UTF-8: src/attachments/attachment-filename.ts), and a header given twice a 400
 * naming it (src/common/http/input-guard.ts).
 */
describe('Probe: hostile upload headers and download ranges', () => {
  let t: TestApp;
  let officer: SignedIn;
  let watch: () => Promise<string>;
  let caseId: string;
  let fileId: string;
  const content = 'hello world, some evidence\n';
  beforeAll(async () => {
    t = await createTestApp();
    officer = await signIn(t.server, 'kr.officer');
    caseId = (await officer.post('/cases', { title: 'Uploads probe' })).body.id;
    const made = await upload('X-Filename: evidence.txt\r\n');
    expect(made.status).toBe(201);
    fileId = JSON.parse(made.body).id;
    watch = await writeWatch(t);
  });
  afterAll(() => t?.close());

  function upload(
    headers: string,
    body: string = content,
    type = 'application/octet-stream',
  ): Promise<RawAnswer> {
    return rawRequest(
      t.server,
      `POST /api/v1/cases/${caseId}/attachments HTTP/1.1\r\nHost: probe\r\nAuthorization: Bearer ${officer.tokens.accessToken}\r\n` +
        `${type ? `Content-Type: ${type}\r\n` : ''}${headers}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`,
      body,
    );
  }
  it('a filename with NUL, controls, an RTL override, ../, 5 KB, or none: a 400 naming X-Filename, nothing stored', async () => {
    const before = await watch();
    const names = [
      'a%00.txt',
      'a%01.txt',
      'a%C2%85.txt',
      '%E2%80%AEtxt.exe',
      '..%2F..%2Fx',
      '../../x',
      '..',
      'C:%5Cx',
      'x'.repeat(5000),
      '',
      ' ',
      '%E0%A4%A',
      '%ED%A0%80',
    ];
    for (const name of names)
      expect({ name: name.slice(0, 16), ...problem(await upload(`X-Filename: ${name}\r\n`)) }).toEqual({
        name: name.slice(0, 16),
        ...refused(400, ['X-Filename']),
      });
    expect(problem(await upload(''))).toEqual(refused(400, ['X-Filename']));
    // A raw control character in the header: the HTTP parser's own 400 problem.
    expect(problem(await upload('X-Filename: a\x01.txt\r\n'))).toEqual(refused(400));
    expect(describeChange(before, await watch())).toBe('');
  });

  it('a filename sent unencoded, in UTF-8 or Latin-1 bytes: a 400 naming X-Filename, not a garbled name', async () => {
    const before = await watch();
    for (const name of [
      Buffer.from('café.txt').toString('latin1'),
      'caf\xe9.txt',
      Buffer.from('증거.pdf').toString('latin1'),
    ])
      expect({ name, ...problem(await upload(`X-Filename: ${name}\r\n`)) }).toEqual({
        name,
        ...refused(400, ['X-Filename']),
      });
    expect(describeChange(before, await watch())).toBe('');
    // Percent-encoded, the same name is taken as it was meant.
    const ok = await upload(`X-Filename: ${encodeURIComponent('café.txt')}\r\n`);
    expect({ status: ok.status, filename: JSON.parse(ok.body).filename }).toEqual({
      status: 201,
      filename: 'café.txt',
    });
  });

  it('two X-Filename or X-Supersedes headers: a 400 naming the header, nothing stored', async () => {
    const before = await watch();
    expect(problem(await upload('X-Filename: a.txt\r\nX-Filename: b.txt\r\n'))).toEqual(
      refused(400, ['X-Filename']),
    );
    expect(
      problem(await upload(`X-Filename: a.txt\r\nX-Supersedes: ${fileId}\r\nX-Supersedes: ${fileId}\r\n`)),
    ).toEqual(refused(400, ['X-Supersedes']));
    expect(describeChange(before, await watch())).toBe('');
  });

  it('multipart (one file, two files, a field part, no boundary), JSON or no Content-Type where the raw file is expected: a 415 problem, nothing stored', async () => {
    const part = (name: string, filename: string | null, value: string) =>
      `--b\r\nContent-Disposition: form-data; name="${name}"${filename === null ? '' : `; filename="${filename}"`}\r\n\r\n${value}\r\n`;
    const before = await watch();
    const bodies: [string, string][] = [
      ['multipart/form-data; boundary=b', `${part('file', 'a.txt', 'hi')}--b--\r\n`],
      [
        'multipart/form-data; boundary=b',
        `${part('file', 'a.txt', 'hi')}${part('file', 'b.txt', 'ho')}--b--\r\n`,
      ],
      ['multipart/form-data; boundary=b', `${part('file', null, 'just a field')}--b--\r\n`],
      ['multipart/form-data', `${part('file', 'a.txt', 'hi')}--b--\r\n`],
      ['application/json', '{"file":"aGk="}'],
      ['', 'raw bytes without a type'],
    ];
    for (const [type, body] of bodies)
      expect({ type, ...problem(await upload('X-Filename: a.txt\r\n', body, type)) }).toEqual({
        type,
        ...refused(415),
      });
    expect(problem(await upload('X-Filename: empty.txt\r\n', ''))).toEqual(refused(400, ['body']));
    expect(describeChange(before, await watch())).toBe('');
  });

  it('Range: a satisfiable single range is a 206, an unsatisfiable one the 416 problem, the rest the whole file', async () => {
    const size = Buffer.byteLength(content);
    const get = (range: string) =>
      rawRequest(
        t.server,
        `GET /api/v1/attachments/${fileId}/content HTTP/1.1\r\nHost: probe\r\nAuthorization: Bearer ${officer.tokens.accessToken}\r\nRange: ${range}\r\nConnection: close\r\n\r\n`,
      );
    const before = await watch();
    for (const range of ['bytes=-0', `bytes=${size}-`, 'bytes=99999999999999999999999-'])
      expect({
        range,
        ...problem(await get(range)),
        contentRange: (await get(range)).headers['content-range'],
      }).toEqual({
        range,
        ...refused(416),
        contentRange: `bytes */${size}`,
      });
    // A refused download is no download: no audit event of one.
    expect(describeChange(before, await watch())).toBe('');
    const partial: [string, string][] = [
      ['bytes=0-99999999999999999999999', content],
      ['bytes=-99999999999999999999999', content],
      [`bytes=${size - 1}-`, '\n'],
    ];
    for (const [range, body] of partial) {
      const res = await get(range);
      expect({ range, status: res.status, body: res.body }).toEqual({ range, status: 206, body });
    }
    // Ignored as RFC 9110 allows (malformed, reversed, another unit, several ranges): the whole file.
    const many = `bytes=${Array.from({ length: 500 }, (_, i) => `${i}-${i}`).join(',')}`;
    for (const range of [
      'bytes=5-1',
      'bytes=0-0,1-1,2-2',
      many,
      'bytes=1e3-',
      'bytes=-',
      'items=0-1',
      'bytes=\xe9',
    ]) {
      const res = await get(range);
      expect({ range: range.slice(0, 20), status: res.status, body: res.body }).toEqual({
        range: range.slice(0, 20),
        status: 200,
        body: content,
      });
    }
    // A control character in the header: the HTTP parser's 400 problem. Two Range headers: a 400 naming it.
    expect(problem(await get('bytes=0-1\x01'))).toEqual(refused(400));
    expect(problem(await get('bytes=0-1\r\nRange: bytes=2-3'))).toEqual(refused(400, ['Range']));
  });
});
