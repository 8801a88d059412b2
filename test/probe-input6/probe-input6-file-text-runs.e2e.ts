import { deflateSync } from 'node:zlib';
import { upload } from '../attachments/attachment-support';
import { aZip } from '../probe-r16/r16-support';
import { receivedNumberAndCaseSharedWithMy } from '../probe-r16/r16-support';
import { SAYS } from '../probe-r18/r18-support';
import { RELEASE_REFUSED } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (input round 6): a file whose readable text holds one long run of separators. Every upload is
 * read for the numbers its country received (`readable-text.ts`); a PDF's part or a ZIP's entry reached
 * the run-collapsing pattern (`/[^\p{L}\p{N}]{8,}/gu`) as one string, and V8's regular expressions run
 * out of stack on a run of ~10 million: "Maximum call stack size exceeded", a 500, after the event loop
 * was held ~10 s. A 25 KB PDF (a deflated content stream showing twelve million spaces) was enough, from any officer; a ZIP holding a 12 MB text entry as well. Now the text is read a 64 KB piece at a time,
 * as a stored file streams, and the number written after the run is found: the release rule refuses it.
 */
describe('Probe: a run of millions of separators in a file’s text', () => {
  let t: TestApp;
  let tf: TaskForce;
  let sharedCase: string;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    // KH gave KR +855 12 000 111 under AMBER; KR's case is shared with MY, so every file is read.
    sharedCase = await receivedNumberAndCaseSharedWithMy(tf, 'SOK Separator', 'Compound ledgers r6');
  });
  afterAll(() => t?.close());

  const run = Buffer.alloc(12_000_000, 0x20);
  const after = Buffer.from(` ${SAYS}`);

  it('a PDF whose content stream shows twelve million spaces, then the received number: the release refusal, not a 500', async () => {
    const content = deflateSync(
      Buffer.concat([
        Buffer.from('BT <'),
        Buffer.from(run.toString('hex')),
        Buffer.from('> Tj ('),
        after,
        Buffer.from(') Tj ET'),
      ]),
    );
    const pdf = Buffer.concat([
      Buffer.from(`%PDF-1.7\n4 0 obj <</Length ${content.length} /Filter /FlateDecode>> stream\n`, 'latin1'),
      content,
      Buffer.from('\nendstream endobj\ntrailer <<>>\n%%EOF\n', 'latin1'),
    ]);
    const res = await upload(t, tf['kr.officer'], `/cases/${sharedCase}/attachments`, pdf, 'spaces.pdf');
    expect(`${res.status} ${res.body.type}`).toBe(`409 ${RELEASE_REFUSED}`);
  });

  it('a ZIP whose text entry is twelve million spaces, then the received number: the release refusal, not a 500', async () => {
    // Stored, not deflated: the archive rules refuse an entry that inflates a thousandfold.
    const zip = await aZip([['calls.txt', Buffer.concat([run, after])]], false);
    const res = await upload(t, tf['kr.officer'], `/cases/${sharedCase}/attachments`, zip, 'spaces.zip');
    expect(`${res.status} ${res.body.type}`).toBe(`409 ${RELEASE_REFUSED}`);
  });
});
