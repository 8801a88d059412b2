import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { signIn, SignedIn } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';

const IDLE_MS = 1000;
const TOTAL_MS = 3000;
/** How long a case waits for an answer before it calls the request held. */
const GIVE_UP_MS = 8000;

interface Held {
  status: number | 'no answer';
  contentType?: string;
  type?: string;
  /** ms from the first byte sent to the answer (or to giving up). */
  after: number;
  closed: boolean;
}

/**
 * Probe (input round 9): a JSON body that never finishes. Fastify's `requestTimeout` is 0 (off) and only
 * the CSV import bounded how long its body may take (UPLOAD_IDLE_TIMEOUT_MS, UPLOAD_TOTAL_TIMEOUT_MS), so a
 * client that declared a Content-Length and sent less, or trickled a byte at a time, held its socket and
 * the body buffered so far for as long as it liked, anonymously on `POST /auth/login` (round 5 noted it;
 * nothing answered, ever). Now every JSON body read into memory is held to the same two bounds: a 408
 * problem, the connection closed, nothing written.
 */
describe('Probe: a JSON body that never finishes', () => {
  let t: TestApp;
  let port: number;
  let officer: SignedIn;
  beforeAll(async () => {
    t = await createTestApp(
      {},
      { UPLOAD_IDLE_TIMEOUT_MS: String(IDLE_MS), UPLOAD_TOTAL_TIMEOUT_MS: String(TOTAL_MS) },
    );
    port = (t.server.address() as AddressInfo).port;
    officer = await signIn(t.server, 'kr.officer');
  });
  afterAll(() => t?.close());

  /** Writes `head` and then each part `everyMs` apart; resolves with the answer, or 'no answer' after GIVE_UP_MS. */
  const send = (head: string, parts: string[], everyMs: number) =>
    new Promise<Held>((resolve) => {
      const started = Date.now();
      const socket = connect(port, '127.0.0.1');
      let text = '';
      let answered: Held | undefined;
      const timers: NodeJS.Timeout[] = [];
      const finish = (closed: boolean) => {
        timers.forEach(clearTimeout);
        const end = text.indexOf('\r\n\r\n');
        const status = end < 0 ? 'no answer' : Number(text.split(' ')[1]);
        const contentType = /\r\ncontent-type:\s*([^\r]*)/i.exec(text)?.[1];
        let type: string | undefined;
        try {
          type = JSON.parse(text.slice(end + 4)).type;
        } catch {
          type = undefined;
        }
        answered ??= { status, contentType, type, after: Date.now() - started, closed };
        socket.destroy();
        resolve(answered);
      };
      socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
      socket.on('close', () => finish(true));
      socket.on('error', () => finish(true));
      socket.write(head);
      parts.forEach((part, i) =>
        timers.push(setTimeout(() => socket.writable && socket.write(part), (i + 1) * everyMs)),
      );
      timers.push(setTimeout(() => finish(false), GIVE_UP_MS));
    });

  const counts = async () =>
    (
      await t.dataSource.query(
        `SELECT (SELECT count(*) FROM case_file)::int AS cases, (SELECT count(*) FROM audit_event)::int AS events`,
      )
    )[0] as { cases: number; events: number };

  it('an anonymous sign-in whose body stops arriving: a 408 problem once it has been idle, the connection closed', async () => {
    const body = '{"username":"kr.officer","password":"';
    const res = await send(
      `POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length + 40}\r\n\r\n${body}`,
      [],
      0,
    );
    expect(res).toEqual({
      status: 408,
      contentType: expect.stringMatching(/^application\/problem\+json/),
      type: 'urn:case-desk:problem:request-timeout',
      after: expect.any(Number),
      closed: true,
    });
    expect(res.after).toBeLessThan(IDLE_MS + 3000);
  });

  it('a case whose body trickles a byte at a time (never idle): a 408 problem after the total bound, nothing written', async () => {
    const before = await counts();
    const body = JSON.stringify({ title: 'Trickled', summary: 'x'.repeat(200) });
    const res = await send(
      `POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${officer.tokens.accessToken}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      body.split(''),
      IDLE_MS / 4,
    );
    expect(res).toEqual({
      status: 408,
      contentType: expect.stringMatching(/^application\/problem\+json/),
      type: 'urn:case-desk:problem:request-timeout',
      after: expect.any(Number),
      closed: true,
    });
    expect(res.after).toBeGreaterThanOrEqual(TOTAL_MS - 100);
    expect(await counts()).toEqual(before);
  });

  it('a CSV import and a JSON body that stop arriving get one answer: the same 408 problem type', async () => {
    // Both read their body into memory within the same two bounds; the import answered a type of its own
    // (`upload-timeout`) until the watches became one (`src/common/http/stalled-body.ts`).
    const csv = 'full_name,arrested_at\r\nSOK Dara,';
    const [imported, signedIn] = await Promise.all([
      send(
        `POST /api/v1/arrests/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${officer.tokens.accessToken}\r\n` +
          `Content-Type: text/csv\r\nContent-Length: ${csv.length + 40}\r\n\r\n${csv}`,
        [],
        0,
      ),
      send(
        `POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{`,
        [],
        0,
      ),
    ]);
    const answer = (r: Held) => ({
      status: r.status,
      contentType: r.contentType,
      type: r.type,
      closed: r.closed,
    });
    expect(answer(imported)).toEqual({
      status: 408,
      contentType: expect.stringMatching(/^application\/problem\+json/),
      type: 'urn:case-desk:problem:request-timeout',
      closed: true,
    });
    expect(answer(imported)).toEqual(answer(signedIn));
  });

  it('control: a body sent in three parts, each within the idle bound, is read as ever', async () => {
    const body = JSON.stringify({ title: 'In three parts', summary: 'Sent slowly but steadily.' });
    const third = Math.ceil(body.length / 3);
    const res = await send(
      `POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${officer.tokens.accessToken}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
      [body.slice(0, third), body.slice(third, 2 * third), body.slice(2 * third)],
      IDLE_MS / 2,
    );
    expect(res.status).toBe(201);
  });
});
