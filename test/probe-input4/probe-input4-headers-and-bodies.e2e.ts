import { gzipSync } from 'node:zlib';
import { createTestApp, TestApp } from '../support/test-app';
import { signIn, SignedIn } from '../support/http';
import { describeChange } from '../security/security-support';
import { problemOf as problem, refused, writeWatch } from './probe-input4-support';
import { rawRequest } from './raw-http';

/**
 * Probe (input round 4): the headers this API reads and raw request bodies, written byte for byte on
 * a socket (a Node client refuses to send a NUL in a header, two Authorization headers, or a
 * Content-Length its body does not have).
 *
 * Found: a header that names one value, given twice, was read as Node merges it. Two `Authorization`
 * headers were answered with the first one's caller (a proxy in front may have checked the other), two
 * `Content-Type` headers read the body as the first one said. Now a 400 naming the header
 * (src/common/http/input-guard.ts, repeatedHeaderProblems), as a JSON name or a query parameter given
 * twice is. Everything else below already answered as it should.
 */
describe('Probe: hostile headers and raw bodies', () => {
  let t: TestApp;
  let officer: SignedIn;
  let watch: () => Promise<string>;
  beforeAll(async () => {
    t = await createTestApp();
    officer = await signIn(t.server, 'kr.officer');
    watch = await writeWatch(t);
  });
  afterAll(() => t?.close());

  const bearer = () => `Authorization: Bearer ${officer.tokens.accessToken}\r\n`;
  const json = 'Content-Type: application/json\r\n';
  const head = (method: string, path: string, headers: string, body: string | Buffer = '') =>
    `${method} /api/v1${path} HTTP/1.1\r\nHost: probe\r\n${headers}` +
    (body.length > 0 || method !== 'GET' ? `Content-Length: ${Buffer.byteLength(body)}\r\n` : '') +
    'Connection: close\r\n\r\n';
  const send = (method: string, path: string, headers: string, body: string | Buffer = '') =>
    rawRequest(t.server, head(method, path, headers, body), body);
  const createCase = (headers: string, body: string | Buffer = '{"title":"A probe case"}') =>
    send('POST', '/cases', headers, body);

  it('a malformed Authorization: NUL or a control is a 400, 64 KB a 431, the rest a 401, all problems', async () => {
    const get = (value: string) => send('GET', '/cases', `Authorization: ${value}\r\n`);
    expect(problem(await get('Bearer a\x00b'))).toEqual(refused(400));
    expect(problem(await get('Bearer \x01'))).toEqual(refused(400));
    expect(problem(await get(`Bearer ${'a'.repeat(64 * 1024)}`))).toEqual(refused(431));
    for (const value of [
      'Bearer',
      'Bearer ',
      'Basic YTpi',
      'Bearer \xe9',
      'Bearer ...',
      `Bearer ${'a'.repeat(8000)}`,
    ])
      expect({ value: value.slice(0, 12), ...problem(await get(value)) }).toEqual({
        value: value.slice(0, 12),
        ...refused(401),
      });
  });

  it('two Authorization headers: a 400 naming it, even when the first is valid', async () => {
    const twice = `${json}${bearer()}Authorization: Bearer not-a-token\r\n`;
    expect(problem(await send('GET', '/cases', twice))).toEqual(refused(400, ['Authorization']));
    const before = await watch();
    expect(problem(await createCase(twice, '{"title":"Two callers"}'))).toEqual(
      refused(400, ['Authorization']),
    );
    expect(describeChange(before, await watch())).toBe('');
  });

  it('an Idempotency-Key with NUL, controls, 10 KB, non-ASCII, spaces or given twice: a 400 problem, nothing written', async () => {
    const before = await watch();
    // A NUL or another control in a header is refused by the HTTP parser itself.
    for (const key of ['a\x00b', 'a\x01b', 'a\x1bb', 'a\x7fb'])
      expect(problem(await createCase(`${json}${bearer()}Idempotency-Key: ${key}\r\n`))).toEqual(
        refused(400),
      );
    // As written on the wire (Latin-1 here): a byte E9, then café as UTF-8 bytes.
    for (const key of [
      'caf\xe9',
      Buffer.from('café').toString('latin1'),
      'k'.repeat(10_000),
      'a b',
      'a\tb',
      '',
    ])
      expect({
        key: key.slice(0, 8),
        ...problem(await createCase(`${json}${bearer()}Idempotency-Key: ${key}\r\n`)),
      }).toEqual({ key: key.slice(0, 8), ...refused(400, ['Idempotency-Key']) });
    expect(
      problem(await createCase(`${json}${bearer()}Idempotency-Key: a\r\nIdempotency-Key: b\r\n`)),
    ).toEqual(refused(400, ['Idempotency-Key']));
    expect(describeChange(before, await watch())).toBe('');
  });

  it('a JSON body declared as UTF-16, text/plain, multipart (with or without boundary), form-encoded or untyped: a 415 problem, nothing written', async () => {
    const before = await watch();
    for (const type of [
      'application/json; charset=utf-16',
      'text/plain',
      'multipart/form-data',
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded',
      'application/jsonx',
      'text/plain; application/json',
      'application/octet-stream',
    ])
      expect({ type, ...problem(await createCase(`${bearer()}Content-Type: ${type}\r\n`)) }).toEqual({
        type,
        ...refused(415),
      });
    // No Content-Type at all.
    expect(problem(await createCase(bearer()))).toEqual(refused(415));
    expect(describeChange(before, await watch())).toBe('');
  });

  it('two Content-Type headers: a 400 naming it, nothing written', async () => {
    const before = await watch();
    const res = await createCase(`${bearer()}Content-Type: application/json\r\nContent-Type: text/plain\r\n`);
    expect(problem(res)).toEqual(refused(400, ['Content-Type']));
    expect(describeChange(before, await watch())).toBe('');
  });

  it('truncated JSON, trailing bytes, an empty body, a BOM written twice, a name given twice: a 400 problem, nothing written', async () => {
    const before = await watch();
    const cases: [string, string[] | undefined][] = [
      ['{"title":"tr', undefined],
      ['{"title":"x"} {}', undefined],
      ['{"title":"x"}\x00', undefined],
      ['', undefined],
      // The UTF-8 BOM encoded once more as if it were Latin-1: not JSON.
      ['\u00ef\u00bb\u00bf{"title":"x"}', undefined],
      ['{"title":"a","title":"b"}', ['title']],
    ];
    for (const [body, errors] of cases)
      expect({ body, ...problem(await createCase(`${json}${bearer()}`, body)) }).toEqual({
        body,
        ...refused(400, errors),
      });
    expect(describeChange(before, await watch())).toBe('');
  });

  it('JSON after a byte order mark is read as JSON (RFC 8259 lets a parser ignore it)', async () => {
    const res = await createCase(`${json}${bearer()}`, '\ufeff{"title":"After a BOM"}');
    expect({ status: res.status, title: JSON.parse(res.body).title }).toEqual({
      status: 201,
      title: 'After a BOM',
    });
  });

  it('a body announced larger than the limit is refused at once with the 413 problem', async () => {
    const res = await rawRequest(
      t.server,
      `POST /api/v1/cases HTTP/1.1\r\nHost: probe\r\n${bearer()}Content-Type: application/json\r\nContent-Length: 999999999\r\nConnection: close\r\n\r\n`,
      '{}',
    );
    expect(problem(res)).toEqual(refused(413));
  });

  it('a gzip bomb (50 MB of spaces in 50 KB) on a JSON write, sign-in, an upload and the CSV import: the 415 problem, nothing written', async () => {
    const caseId = JSON.parse((await createCase(`${json}${bearer()}`)).body).id as string;
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    const before = await watch();
    const gz = 'Content-Encoding: gzip\r\n';
    for (const [path, headers] of [
      ['/cases', `${bearer()}Content-Type: application/json\r\n`],
      ['/auth/login', 'Content-Type: application/json\r\n'],
      [
        `/cases/${caseId}/attachments`,
        `${bearer()}Content-Type: application/octet-stream\r\nX-Filename: a.txt\r\n`,
      ],
      ['/arrests/import', `${bearer()}Content-Type: text/csv\r\n`],
    ])
      expect({ path, ...problem(await send('POST', path, `${headers}${gz}`, bomb)) }).toEqual({
        path,
        ...refused(415),
      });
    expect(describeChange(before, await watch())).toBe('');
  });

  it('an Accept the API cannot honour is not an error: lists answer JSON, the audit export its NDJSON', async () => {
    for (const accept of ['application/xml', 'text/html', '*/*;q=abc', '\xe9', 'a'.repeat(8000)]) {
      const res = await send('GET', '/cases', `${bearer()}Accept: ${accept}\r\n`);
      expect({ accept: accept.slice(0, 12), status: res.status, type: res.headers['content-type'] }).toEqual({
        accept: accept.slice(0, 12),
        status: 200,
        type: 'application/json; charset=utf-8',
      });
    }
    const auditor = await signIn(t.server, 'kr.auditor');
    const exported = await send(
      'GET',
      '/audit-events/export',
      `Authorization: Bearer ${auditor.tokens.accessToken}\r\nAccept: text/html\r\n`,
    );
    expect({ status: exported.status, type: exported.headers['content-type'] }).toEqual({
      status: 200,
      type: 'application/x-ndjson; charset=utf-8',
    });
  });

  it('a body on a GET is not read: the list answers as without it', async () => {
    const plain = await send('GET', '/cases', bearer());
    const withBody = await send('GET', '/cases', `${bearer()}Content-Type: application/json\r\n`, '{"a":');
    expect({ status: withBody.status, body: withBody.body }).toEqual({ status: 200, body: plain.body });
  });
});
