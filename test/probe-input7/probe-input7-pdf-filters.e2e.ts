import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import request from 'supertest';
import { BuiltServer, startBuiltServer, stopBuiltServer, waitUntilReady } from '../support/built-server';
import { TEST_DEMO_PASSWORD } from '../support/demo-password';
import { createTestApp, TestApp } from '../support/test-app';
import { describeChange } from '../security/security-support';
import { refusalFault, writeWatch } from '../probe-input4/probe-input4-support';

/**
 * Probe (input round 7): a PDF's ASCII filters. Every upload is read for the numbers and phones it
 * shows (`readableLines` → `pdfParts`), and a stream's filters are undone in the order its dictionary
 * names them. Flate's output was bounded (64 MB a stream, 128 MB a file) but what the ASCII filters
 * made of it was not, and they made it in JavaScript arrays and strings: `ASCII85Decode` pushed four
 * numbers per `z` into an array (a `z` is four zero bytes), `ASCIIHexDecode` split the whole text at
 * every `>` to keep what stands before the first.
 *
 * FINDING 1: `[/FlateDecode /ASCII85Decode]` over 63 MB of `z` (a 64 KB PDF, any officer, on the
 * officer's own case) took the server, run as `npm start` runs it (`--max-old-space-size=1024`), to
 * "JavaScript heap out of memory": the process died, every caller lost it. 8 MB of `z` (an 8 KB PDF)
 * held the loop 1.5 s for 800 MB of RSS. `[/FlateDecode /ASCIIHexDecode]` over 63 MB of `>` built a
 * 63-million-item array (~1 GB RSS, 2 s). Now both filters decode in one pass over the bytes into one
 * buffer, and what they make counts against the same bounds as Flate: past them the file is refused
 * as unreadable (422), as a Flate stream too large is.
 */
describe('Probe: a PDF whose ASCII filters expand past every bound', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  const MB = 1024 * 1024;
  /** One content stream of `content` deflated, under `[/FlateDecode /<filter>]`. */
  const pdfOf = (content: Buffer, filter: string) => {
    const stream = deflateSync(content, { level: 9 });
    return Buffer.concat([
      Buffer.from(`%PDF-1.7\n4 0 obj <</Length ${stream.length} /Filter [/FlateDecode /${filter}]>> stream\n`),
      stream,
      Buffer.from('\nendstream endobj\ntrailer <<>>\n%%EOF\n'),
    ]);
  };

  it('FINDING 1: a 64 KB PDF whose stream decodes to 63 MB of ASCII85 `z`, to the server as npm start runs it: a 422 problem, nothing stored, and it keeps answering (63 MB of `>` under ASCIIHex too)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'case-desk-probe-input7-'));
    const server: BuiltServer = startBuiltServer('probe-input7', {
      NODE_ENV: 'test',
      DATABASE_URL: t.databaseUrl,
      DATABASE_POOL_SIZE: '2',
      DATA_DIR: dataDir,
      MIGRATIONS_RUN: 'false',
      SEED_DEMO_ON_EMPTY: 'false',
      OPENAPI_ENABLED: 'false',
      JOBS_ENABLED: 'false',
      LOG_LEVEL: 'warn',
      JWT_SECRET: 'probe-input7-secret-that-is-long-enough-0123456789',
      AUDIT_SIGNING_KEY: String(
        generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
      ),
    });
    try {
      await waitUntilReady(server);
      const token = (
        (
          await request(server.url)
            .post('/api/v1/auth/login')
            .send({ username: 'kr.officer', password: TEST_DEMO_PASSWORD })
            .expect(200)
        ).body as { accessToken: string }
      ).accessToken;
      const caseId = (
        await request(server.url)
          .post('/api/v1/cases')
          .set('Authorization', `Bearer ${token}`)
          .send({ title: 'Probe input 7: PDF filters' })
          .expect(201)
      ).body.id as string;
      const uploadTo = (pdf: Buffer) =>
        request(server.url)
          .post(`/api/v1/cases/${caseId}/attachments`)
          .set('Authorization', `Bearer ${token}`)
          .set('Content-Type', 'application/octet-stream')
          .set('X-Filename', 'statement.pdf')
          .send(pdf)
          .then(
            (answer) => answer,
            (error: Error) => `no answer: ${error.message}`,
          );
      const watch = await writeWatch(t);
      const before = await watch();
      const bomb = pdfOf(Buffer.alloc(63 * MB, 'z'), 'ASCII85Decode');
      expect(bomb.length).toBeLessThan(100 * 1024);
      const refused = await uploadTo(bomb);
      expect({
        answer:
          typeof refused === 'string'
            ? refused
            : { status: refused.status, type: refused.body.type, faults: refusalFault(refused) },
        exited: server.process.exitCode ?? server.process.signalCode,
        outOfMemory: /heap out of memory/.test(server.output()),
      }).toEqual({
        answer: { status: 422, type: 'urn:case-desk:problem:attachment-unreadable', faults: [] },
        exited: null,
        outOfMemory: false,
      });
      expect(describeChange(before, await watch())).toBe('');
      // 63 MB of `>` under ASCIIHex shows nothing (the string ends at the first): read in one pass and
      // stored, no longer split into 63 million strings first. An ordinary ASCII85 stream is read too.
      for (const pdf of [
        pdfOf(Buffer.alloc(63 * MB, '>'), 'ASCIIHexDecode'),
        pdfOf(Buffer.from('<~87cURD]i,"Ebo80~>'), 'ASCII85Decode'),
      ]) {
        const res = await uploadTo(pdf);
        expect(typeof res === 'string' ? res : res.status).toBe(201);
      }
      expect(server.process.exitCode ?? server.process.signalCode).toBeNull();
    } finally {
      await stopBuiltServer(server);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});
