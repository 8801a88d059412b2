import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createTestApp, TestApp } from '../support/test-app';
import { signIn, SignedIn } from '../support/http';
import { writeWatch } from '../probe-input4/probe-input4-support';
import { describeChange } from '../security/security-support';

interface Answer {
  /** Status of the final answer (a 100 Continue before it is skipped); 0 when none came. */
  status: number;
  contentType: string;
  body: string;
  /** How the exchange ended: the answer was complete, or the server closed the socket, or it timed out. */
  ended: 'answered' | 'closed' | 'timed out';
}

/**
 * One request written byte for byte on a socket of its own (a Node client will not send a CONNECT to an
 * origin, leave out Host or repeat it). Resolves once an answer with its declared length has arrived,
 * the server closes, or `waitMs` passes.
 */
function exchange(t: TestApp, bytes: string, waitMs = 5000): Promise<Answer> {
  const { port } = t.server.address() as AddressInfo;
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (ended: Answer['ended']) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      // Skip interim answers (100 Continue): the last head is the final answer.
      const text = Buffer.concat(chunks)
        .toString('latin1')
        .replace(/^(HTTP\/1\.1 1\d\d[^\r]*\r\n(?:[^\r]+\r\n)*\r\n)+/, '');
      const end = text.indexOf('\r\n\r\n');
      const head = end < 0 ? text : text.slice(0, end);
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
      const rest = end < 0 ? '' : text.slice(end + 4);
      resolve({
        status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0),
        contentType: /\r\ncontent-type:\s*([^\r]*)/i.exec(head)?.[1] ?? '',
        body: Buffer.from(length === undefined ? rest : rest.slice(0, Number(length)), 'latin1').toString(),
        ended,
      });
    };
    const timer = setTimeout(() => finish('timed out'), waitMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const text = Buffer.concat(chunks)
        .toString('latin1')
        .replace(/^(HTTP\/1\.1 1\d\d[^\r]*\r\n(?:[^\r]+\r\n)*\r\n)+/, '');
      const end = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, end))?.[1];
      if (end >= 0 && length !== undefined && text.length - end - 4 >= Number(length)) finish('answered');
    });
    socket.on('end', () => finish('closed'));
    socket.on('error', () => finish('closed'));
    socket.write(Buffer.from(bytes, 'latin1'));
  });
}

/** What is wrong with an answer that should be a problem-details refusal (empty when it is one). */
function notAProblem(answer: Answer, status: number): string[] {
  const faults: string[] = [];
  if (answer.status !== status) faults.push(`status ${answer.status} (${answer.ended})`);
  if (!/^application\/problem\+json/.test(answer.contentType))
    faults.push(`content-type ${JSON.stringify(answer.contentType)}`);
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(answer.body) as Record<string, unknown>;
  } catch {
    faults.push(`body ${JSON.stringify(answer.body.slice(0, 80))}`);
  }
  if (body && (body.status !== status || typeof body.type !== 'string' || typeof body.detail !== 'string'))
    faults.push(`problem ${answer.body.slice(0, 120)}`);
  return faults;
}

/**
 * Probe (input round 11): the answers Node's HTTP server writes by itself, before Fastify or Nest see the
 * request, and the Host header no layer checked. Each was a 4xx without a body a client can read (a bare
 * 417, a bare 400), no answer at all (CONNECT: the socket was destroyed), or a 200 to a request RFC 9112
 * §3.2 says a server MUST refuse (Host given twice or not a host). Now each is a problem-details refusal
 * and nothing is written; an ordinary request with its usual Host is served as before.
 */
describe('Probe: answers Node wrote by itself, and the Host header', () => {
  let t: TestApp;
  let officer: SignedIn;
  beforeAll(async () => {
    t = await createTestApp();
    officer = await signIn(t.server, 'kr.officer');
  });
  afterAll(() => t?.close());

  const caseBody = JSON.stringify({ title: 'Transport probe' });
  const createCase = (headers: string) =>
    `POST /api/v1/cases HTTP/1.1\r\n${headers}Authorization: Bearer ${officer.tokens.accessToken}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${caseBody.length}\r\n\r\n${caseBody}`;

  it('an Expect other than 100-continue: a 417 problem, nothing written', async () => {
    const watch = await writeWatch(t);
    const before = await watch();
    const answer = await exchange(t, createCase('Host: localhost\r\nExpect: 200-ok\r\n'));
    expect(notAProblem(answer, 417)).toEqual([]);
    expect(describeChange(before, await watch())).toBe('');
  });

  it('CONNECT (the server is no proxy): a 405 problem, not a dropped connection', async () => {
    const answer = await exchange(t, 'CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n');
    expect(notAProblem(answer, 405)).toEqual([]);
  });

  it('an HTTP/1.1 request without Host, with Host twice or with a Host that names no host: a 400 problem naming Host, nothing written', async () => {
    const watch = await writeWatch(t);
    const before = await watch();
    const wrong: string[] = [];
    for (const [what, headers] of [
      ['no Host', ''],
      ['Host twice', 'Host: localhost\r\nHost: evil.example\r\n'],
      ['Host twice, the same', 'Host: localhost\r\nHost: localhost\r\n'],
      ['a space in Host', 'Host: local host\r\n'],
      ['a Latin-1 byte in Host', 'Host: caf\xe9.example\r\n'],
      ['an unclosed IPv6 literal', 'Host: [::1\r\n'],
      ['a port past 65535', 'Host: localhost:99999999999\r\n'],
      ['user information', 'Host: user:pw@evil.example\r\n'],
      ['a path', 'Host: localhost/x\r\n'],
    ]) {
      const answer = await exchange(t, createCase(headers));
      const faults = notAProblem(answer, 400);
      if (faults.length === 0 && !/"field":"Host"/.test(answer.body)) faults.push('Host not named');
      if (faults.length > 0) wrong.push(`${what}: ${faults.join('; ')}`);
    }
    expect(wrong).toEqual([]);
    expect(describeChange(before, await watch())).toBe('');
  });

  it('control: the Host forms clients send are served (name, name:port, IPv4, IPv6, empty on HTTP/1.1, none on HTTP/1.0)', async () => {
    const served: Record<string, number> = {};
    for (const host of [
      'localhost',
      'case-desk.example:8443',
      '127.0.0.1:3000',
      '[::1]:3000',
      'LOCALHOST.',
      '',
    ])
      served[host] = (await exchange(t, `GET /api/health HTTP/1.1\r\nHost: ${host}\r\n\r\n`)).status;
    served['HTTP/1.0 without Host'] = (await exchange(t, 'GET /api/health HTTP/1.0\r\n\r\n')).status;
    expect(Object.values(served).every((status) => status === 200)).toBe(true);
    const made = await exchange(t, createCase('Host: localhost\r\nExpect: 100-continue\r\n'));
    expect(made.status).toBe(201);
  });

  it('a #fragment in the request target: a 400 problem naming the target, before authentication, nothing written', async () => {
    const watch = await writeWatch(t);
    const before = await watch();
    const bearer = `Authorization: Bearer ${officer.tokens.accessToken}\r\n`;
    const wrong: string[] = [];
    for (const [what, bytes] of [
      // Read as `?limit=1` before: a list of one case, 200.
      [
        'a fragment read as a query',
        `GET /api/v1/cases#limit=1 HTTP/1.1\r\nHost: localhost\r\n${bearer}\r\n`,
      ],
      [
        'a fragment after a query',
        `GET /api/v1/cases?limit=1#x HTTP/1.1\r\nHost: localhost\r\n${bearer}\r\n`,
      ],
      ['an empty fragment, anonymous', 'GET /api/v1/cases# HTTP/1.1\r\nHost: localhost\r\n\r\n'],
      [
        'a fragment on a write',
        createCase('Host: localhost\r\n').replace('/api/v1/cases', '/api/v1/cases#x'),
      ],
    ]) {
      const answer = await exchange(t, bytes);
      const faults = notAProblem(answer, 400);
      if (faults.length === 0 && !/"field":"request-target"/.test(answer.body))
        faults.push(`target not named: ${answer.body.slice(0, 160)}`);
      if (faults.length > 0) wrong.push(`${what}: ${faults.join('; ')}`);
    }
    expect(wrong).toEqual([]);
    expect(describeChange(before, await watch())).toBe('');
    // Control: `#` percent-encoded is data, and the query string itself is read as ever.
    const encoded = await exchange(
      t,
      `GET /api/v1/cases?limit=1&q=%23tag HTTP/1.1\r\nHost: localhost\r\n${bearer}Connection: close\r\n\r\n`,
    );
    expect(encoded.status).toBe(200);
  });

  it('Authorization other than `Bearer`, one space and the token alone: the 401 an invalid token gets; the token alone still passes', async () => {
    const token = officer.tokens.accessToken;
    const answer = async (authorization: string) => {
      const res = await request(t.server).get('/api/v1/auth/me').set('Authorization', authorization);
      const { requestId: _requestId, ...problem } = res.body as Record<string, unknown>;
      return { status: res.status, contentType: String(res.headers['content-type']), problem };
    };
    const invalid = await answer(`Bearer ${token.slice(0, -2)}xx`);
    expect(invalid.status).toBe(401);
    const differs: Record<string, unknown> = {};
    for (const header of [
      `Bearer ${token} extra`,
      `Bearer ${token} ${token}`,
      `Bearer\t${token}`,
      `Bearer ${token};`,
      `Basic ${token}`,
    ]) {
      const got = await answer(header);
      if (JSON.stringify(got) !== JSON.stringify(invalid)) differs[header.replaceAll(token, '<token>')] = got;
    }
    expect(differs).toEqual({});
    expect((await answer(`Bearer ${token}`)).status).toBe(200);
    expect((await answer(`bearer ${token}`)).status).toBe(200);
    expect((await answer(`Bearer  ${token}`)).status).toBe(200); // RFC 6750: one space or more
  });
});
