import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (input round): the README says an attachment whose `Content-Length` exceeds
 * `ATTACHMENT_MAX_BYTES` "is refused before reading" (413). The refusal is decided at once, but
 * `AttachmentUploadService.upload` (src/attachments/attachment-upload.service.ts) drains the body for up
 * to DRAIN_MS (10 s) in a `finally` *before* the error reaches the reply: a client that keeps sending
 * hears its 413 only after 10 s, having sent 10 s more of a file that was never going to be taken. The
 * same holds for every other refusal of an upload still in flight (bad X-Filename, 403, 409…). The
 * answer can be written first and the rest drained after it.
 */
describe('Probe: a refused upload is answered while the client is still sending', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const count = async (table: string) =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

  /** Sends the head and a trickle of body (1 KB every 100 ms) until the first bytes of an answer. */
  function trickleUpload(path: string, headers: Record<string, string>) {
    const port = (t.server.address() as AddressInfo).port;
    return new Promise<{ statusLine: string; kbSentBeforeAnswer: number }>((resolve, reject) => {
      let kb = 0;
      const socket = connect(port, '127.0.0.1', () => {
        const head = Object.entries(headers)
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('');
        socket.write(`POST ${path} HTTP/1.1\r\nHost: localhost\r\n${head}\r\n`);
      });
      const trickle = setInterval(() => {
        socket.write('x'.repeat(1024));
        kb++;
      }, 100);
      const stop = () => {
        clearInterval(trickle);
        socket.destroy();
      };
      socket.once('data', (data) => {
        stop();
        resolve({ statusLine: data.toString('latin1').split('\r\n')[0]!, kbSentBeforeAnswer: kb });
      });
      socket.once('error', (error) => {
        stop();
        reject(error);
      });
    });
  }

  it('a Content-Length over the limit is answered 413 before 20 KB more of it are sent', async () => {
    const kase = (await tf['kr.officer'].post('/cases', { title: 'Upload refusal probe' }).expect(201)).body;
    const attachments = await count('attachment');
    const { statusLine, kbSentBeforeAnswer } = await trickleUpload(`/api/v1/cases/${kase.id}/attachments`, {
      Authorization: `Bearer ${tf['kr.officer'].tokens.accessToken}`,
      'Content-Type': 'application/octet-stream',
      'X-Filename': 'too-large.bin',
      'Content-Length': String(300 * 1024 * 1024),
    });
    expect(statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    // Counted in chunks of the client's own trickle: 20 chunks are 2 s of sending.
    expect({ kbSentBeforeAnswer, under20: kbSentBeforeAnswer < 20 }).toEqual({
      kbSentBeforeAnswer,
      under20: true,
    });
    expect(await count('attachment')).toBe(attachments);
  });

  it('a filename with a path separator is answered 400 before 20 KB more of the body are sent', async () => {
    const kase = (await tf['kr.officer'].post('/cases', { title: 'Upload refusal probe 2' }).expect(201))
      .body;
    const { statusLine, kbSentBeforeAnswer } = await trickleUpload(`/api/v1/cases/${kase.id}/attachments`, {
      Authorization: `Bearer ${tf['kr.officer'].tokens.accessToken}`,
      'Content-Type': 'application/octet-stream',
      'X-Filename': encodeURIComponent('../evil.txt'),
      'Content-Length': String(50 * 1024 * 1024),
    });
    expect(statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect({ kbSentBeforeAnswer, under20: kbSentBeforeAnswer < 20 }).toEqual({
      kbSentBeforeAnswer,
      under20: true,
    });
  });
});
