import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BuiltServer, stopBuiltServer, waitUntilReady } from '../support/built-server';
import { createTestApp, TestApp } from '../support/test-app';
import { aZip } from '../support/zip-files';
import {
  CMAP,
  FONT,
  MB,
  memoryOf,
  Outcome,
  pdfOf,
  probeServer,
  streamObject,
  uploaderOn,
} from './probe-input10-support';

/**
 * Probe (input round 10): the readers merged as "files read as they show (reading 4)" — PDF text in CID
 * fonts through ToUnicode CMaps (`pdf-cid-text.ts`), e-mails' encoded parts and words (`mail-parts.ts`),
 * JSON's escapes (`json-text.ts`) — against the built server as `npm start` runs it
 * (`--max-old-space-size=1024`). Every upload, to any record, is read so; each case is a small upload
 * (a deflated stream or a ZIP of a few KB) that must answer 201 or 422 within the reading deadline
 * (30 s + 5 s a stored MB) and leave the server up. FINDINGS.md has the numbers measured before and
 * after.
 */
describe('Probe: the encoded-text readers against hostile files', () => {
  let t: TestApp;
  let server: BuiltServer;
  let dataDir: string;
  let upload: Awaited<ReturnType<typeof uploaderOn>>;
  beforeAll(async () => {
    t = await createTestApp();
    dataDir = mkdtempSync(join(tmpdir(), 'case-desk-probe-input10-'));
    server = probeServer(t, dataDir);
    await waitUntilReady(server);
    upload = await uploaderOn(server);
  }, 60_000);
  afterAll(async () => {
    if (server) await stopBuiltServer(server);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await t?.close();
  });

  /** Within the reading deadline, answered 201 or 422, the server still up. */
  const held = (size: number, outcome: Outcome) => ({
    answered: outcome.status === 201 || outcome.status === 422 ? 'ok' : outcome.status,
    inTime: outcome.seconds < 30 + (5 * size) / MB,
    alive: server.process.exitCode === null && server.process.signalCode === null,
  });
  const HELD = { answered: 'ok', inTime: true, alive: true };
  const cidPdf = (...more: Array<string | Buffer>) =>
    pdfOf(FONT, streamObject(6, '', Buffer.from(CMAP)), ...more);

  /** Each hostile file: its name and bytes (built when its case runs). */
  const hostile: Array<[string, string, () => Buffer | Promise<Buffer>]> = [
    [
      'FINDING 1: a bfrange array of 20 million destinations (a 60 KB PDF)',
      'map.pdf',
      () =>
        pdfOf(
          FONT,
          streamObject(
            6,
            '',
            Buffer.from(`beginbfrange <0000> <FFFF> [${'<0>'.repeat(20 * MB)}] endbfrange`),
          ),
        ),
    ],
    [
      'FINDING 2: a JSON of 15 million `\\n` escapes (gzipped in a 30 KB ZIP)',
      'export.zip',
      () => aZip([['export.json.gz', gzipSync(`["${'\\n'.repeat(15 * MB)}"]`, { level: 9 })]], false),
    ],
    [
      'FINDING 3: an object stream whose header is 20 million numbers (a 60 KB PDF)',
      'objects.pdf',
      () =>
        pdfOf(
          streamObject(
            8,
            `/Type /ObjStm /N 1 /First ${60 * MB}`,
            Buffer.from('10 '.repeat(20 * MB) + ' '.repeat(10)),
          ),
        ),
    ],
    [
      'FINDING 4: an e-mail of 2.9 million encoded words (gzipped in a 60 KB ZIP)',
      'mail.zip',
      () =>
        aZip(
          [['forwarded.eml.gz', gzipSync(`Subject: x\n${'=?a?b?MA?= '.repeat(2_900_000)}`, { level: 9 })]],
          false,
        ),
    ],
    [
      'FINDING 5: a CMap of 150,000 bfrange `<0><0>[` never closed (1 KB deflated)',
      'ranges.pdf',
      () =>
        pdfOf(FONT, streamObject(6, '', Buffer.from(`beginbfrange ${'<0><0>['.repeat(150_000)} endbfrange`))),
    ],
    [
      'FINDING 6: a page dictionary of 150,000 `/Font<<` never closed (1 MB)',
      'fonts.pdf',
      () => cidPdf(`7 0 obj <<${'/Font<<'.repeat(150_000)} endobj\n`),
    ],
    [
      'FINDING 6: a page dictionary of 100,000 `/Contents[` never closed (1 MB)',
      'contents.pdf',
      () => cidPdf(`7 0 obj <<${'/Contents['.repeat(100_000)} endobj\n`),
    ],
    [
      'FINDING 6: a stream dictionary of 100,000 `/Filter[` never closed (800 KB)',
      'filters.pdf',
      () => pdfOf(`4 0 obj <<${'/Filter['.repeat(100_000)}>> stream\nabc\nendstream endobj\n`),
    ],
  ];

  it.each(hostile)(
    '%s: 201 or 422 in time, the server up',
    async (_what, filename, make) => {
      const body = await make();
      const outcome = await upload(filename, body);
      console.log(
        `probe-input10 ${filename}: ${JSON.stringify({ bytes: body.length, ...outcome, ...memoryOf(server) })}`,
      );
      expect(held(body.length, outcome)).toEqual(HELD);
      // The server's high-water mark so far, these cases one after another (before: 1,524 MB after the
      // object stream's header, 1,166 MB after the encoded words).
      expect(memoryOf(server).peakMb).toBeLessThan(1000);
    },
    60_000,
  );

  it('FINDING 7: 120 MB of font switches showing nothing (a 180 KB PDF) let the server answer others meanwhile', async () => {
    const switches = Buffer.from('/F1 Tf '.repeat(Math.floor((60 * MB) / 7)));
    const pdf = cidPdf(
      '7 0 obj <</Type /Page /Resources <</Font <</F1 5 0 R>>>> /Contents [8 0 R 9 0 R]>> endobj\n',
      streamObject(8, '', switches),
      streamObject(9, '', switches),
    );
    let reading = true;
    let slowest = 0;
    const polling = (async () => {
      while (reading) {
        const started = Date.now();
        await fetch(`${server.url}/api/ready`).catch(() => undefined);
        slowest = Math.max(slowest, Date.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const outcome = await upload('switches.pdf', pdf);
    reading = false;
    await polling;
    console.log(
      `probe-input10 font switches: ${JSON.stringify({ bytes: pdf.length, ...outcome, slowestReadyMs: slowest, ...memoryOf(server) })}`,
    );
    expect(held(pdf.length, outcome)).toEqual(HELD);
    expect(slowest).toBeLessThan(1000);
  }, 60_000);
});
