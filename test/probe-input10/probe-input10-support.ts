import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import request from 'supertest';
import { BuiltServer, startBuiltServer } from '../support/built-server';
import { TEST_DEMO_PASSWORD } from '../support/demo-password';
import type { TestApp } from '../support/test-app';

export const MB = 1024 * 1024;

/** The built server as `npm start` runs it (its heap flags), on the suite's database; `more`: settings of a spec's own. */
export function probeServer(t: TestApp, dataDir: string, more: NodeJS.ProcessEnv = {}): BuiltServer {
  return startBuiltServer('probe-input10', {
    NODE_ENV: 'test',
    DATABASE_URL: t.databaseUrl,
    DATABASE_POOL_SIZE: '4',
    DATA_DIR: dataDir,
    MIGRATIONS_RUN: 'false',
    SEED_DEMO_ON_EMPTY: 'false',
    OPENAPI_ENABLED: 'false',
    JOBS_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    JWT_SECRET: 'probe-input10-secret-that-is-long-enough-0123456789',
    AUDIT_SIGNING_KEY: String(
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
    ),
    ...more,
  });
}

/** What one upload came to: its status (or why none came), how long, and the server's memory after. */
export interface Outcome {
  status: number | string;
  seconds: number;
  rssMb: number;
  /** The answer's `Retry-After`, when it has one. */
  retryAfter?: string;
}

/** kr.officer's uploader to a case of its own, answering with the status and the time it took. */
export async function uploaderOn(server: BuiltServer) {
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
      .send({ title: 'Probe input 10: encoded readers' })
      .expect(201)
  ).body.id as string;
  return async (filename: string, body: Buffer, timeoutMs = 45_000): Promise<Outcome> => {
    const started = Date.now();
    const answer = await request(server.url)
      .post(`/api/v1/cases/${caseId}/attachments`)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/octet-stream')
      .set('X-Filename', filename)
      .timeout(timeoutMs)
      .send(body)
      .then(
        (res) => ({ status: res.status, retryAfter: res.headers['retry-after'] as string | undefined }),
        (error: Error) => ({ status: `no answer: ${error.message}`, retryAfter: undefined }),
      );
    return {
      ...answer,
      seconds: (Date.now() - started) / 1000,
      rssMb: memoryOf(server).rssMb,
    };
  };
}

/** The server's resident memory now and at its highest (VmRSS, VmHWM), in MB. */
export function memoryOf(server: BuiltServer): { rssMb: number; peakMb: number } {
  try {
    const status = readFileSync(`/proc/${server.process.pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`${name}:\\s*(\\d+)`).exec(status)?.[1] ?? NaN);
    return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return { rssMb: NaN, peakMb: NaN };
  }
}

/** A stream object `n` holding `content` deflated, `dictionary` added to its own. */
export function streamObject(n: number, dictionary: string, content: Buffer): Buffer {
  const z = deflateSync(content, { level: 9 });
  return Buffer.concat([
    Buffer.from(`${n} 0 obj <</Length ${z.length} /Filter /FlateDecode ${dictionary}>> stream\n`),
    z,
    Buffer.from('\nendstream endobj\n'),
  ]);
}

/** A PDF of these parts, in order. */
export const pdfOf = (...parts: Array<string | Buffer>) =>
  Buffer.concat([
    Buffer.from('%PDF-1.7\n'),
    ...parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p)),
    Buffer.from('trailer <<>>\n%%EOF\n'),
  ]);

/** A Type0 font (object 5) whose ToUnicode map is object 6. */
export const FONT = '5 0 obj <</Type /Font /Subtype /Type0 /Encoding /Identity-H /ToUnicode 6 0 R>> endobj\n';
export const CMAP =
  'begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <0000> <FFFF> <0030> endbfrange';
