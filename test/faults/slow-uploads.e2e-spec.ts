import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { TEST_DEMO_PASSWORD } from '../support/demo-password';
import { signIn, SignedIn } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';
import { RAID_HEADER, raidRow, toCsv } from '../arrests/raid-fixtures';

const POOL = 4;
const SLOW_UPLOADS = 10;
// Long enough apart that a collector's pause on a loaded CI machine (1.3–1.5 s seen) cannot blur what the
// bounds below tell apart: a sign-in that waited for the stalled uploads' idle timeout, and each timeout.
const IDLE_MS = 3000;
const TOTAL_MS = 6000;

interface Answer {
  status: number;
  body: any;
  /** ms from the start of the upload to its answer. */
  after: number;
}

/**
 * Issue 17: ten uploads that trickle their CSV used to hold ten transactions (the pool has fewer
 * connections), so sign-in answered 503 and the audit sealer stood still behind them. Now the body is
 * read before any transaction opens, and an upload too slow is cut off with 408.
 */
describe('Slow CSV uploads hold no database connection', () => {
  let t: TestApp;
  let officer: SignedIn;
  let port: number;
  beforeAll(async () => {
    t = await createTestApp(
      {},
      {
        DATABASE_POOL_SIZE: String(POOL),
        UPLOAD_IDLE_TIMEOUT_MS: String(IDLE_MS),
        UPLOAD_TOTAL_TIMEOUT_MS: String(TOTAL_MS),
        AUDIT_SEAL_INTERVAL_MS: '100',
      },
    );
    port = (t.server.address() as AddressInfo).port;
    officer = await signIn(t.server, 'kh.officer');
  });
  afterAll(() => t?.close());

  /**
   * An upload that sends its header and first row, then `trickle`s one byte every `everyMs` (or sends
   * nothing more when `everyMs` is null). Gives up by itself after 15 s, so the test stays bounded even
   * against a server that never answers.
   */
  function slowUpload(everyMs: number | null): Promise<Answer> {
    const started = Date.now();
    const start = Buffer.from(toCsv(RAID_HEADER, [raidRow('KR', 0)]), 'utf8');
    return new Promise<Answer>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/v1/arrests/import',
          headers: {
            Authorization: `Bearer ${officer.tokens.accessToken}`,
            'Content-Type': 'text/csv',
            'Transfer-Encoding': 'chunked',
          },
        },
        (res) => {
          clearInterval(timer);
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            resolve({
              status: res.statusCode!,
              body: text ? JSON.parse(text) : null,
              after: Date.now() - started,
            });
          });
        },
      );
      // Writes after the server closed the connection fail; the answer is what counts.
      req.on('error', () => undefined);
      req.write(start);
      if (everyMs !== null) timer = setInterval(() => req.write(' '), everyMs);
      setTimeout(() => {
        clearInterval(timer);
        req.destroy();
        resolve({ status: 0, body: null, after: Date.now() - started });
      }, 15_000).unref();
    });
  }

  it('ten trickling uploads: sign-in answers quickly, an audit seal advances, and the uploads end with 408', async () => {
    const arrestsBefore = Number((await t.dataSource.query(`SELECT count(*) AS n FROM arrest`))[0].n);
    // Eight send a byte every 500 ms (never idle long, but never done); two stop after their first row.
    const uploads = [
      ...Array.from({ length: SLOW_UPLOADS - 2 }, () => slowUpload(500)),
      slowUpload(null),
      slowUpload(null),
    ];
    await new Promise((r) => setTimeout(r, 700));

    // While all of them are still arriving: sign-in, five times, each quickly.
    const signIns: number[] = [];
    for (let i = 0; i < 5; i++) {
      const began = Date.now();
      const res = await request(t.server)
        .post('/api/v1/auth/login')
        .send({ username: 'kr.officer', password: TEST_DEMO_PASSWORD });
      expect(res.status).toBe(200);
      signIns.push(Date.now() - began);
    }
    expect(Math.max(...signIns)).toBeLessThan(2000);

    // An audited change made now is chained by the sealer while the uploads still trickle.
    const person = await officer.post('/persons', {
      names: [{ full: 'Sealed during slow uploads', script: 'latin', kind: 'primary' }],
    });
    expect(person.status).toBe(201);
    const sealStarted = Date.now();
    let sealedAfter: number | null = null;
    while (Date.now() - sealStarted < 4000) {
      const [{ sealed }] = await t.dataSource.query(
        `SELECT EXISTS (SELECT 1 FROM audit_event e JOIN audit_chain c ON c.event_id = e.id
                           WHERE e.record_id = $1 AND e.action = 'person.create') AS sealed`,
        [person.body.id],
      );
      if (sealed) {
        sealedAfter = Date.now() - sealStarted;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(sealedAfter).not.toBeNull();

    const answers = await Promise.all(uploads);
    const trickling = answers.slice(0, SLOW_UPLOADS - 2);
    const stalled = answers.slice(SLOW_UPLOADS - 2);
    for (const answer of answers) {
      expect(answer.status).toBe(408);
      expect(answer.body).toMatchObject({ status: 408, type: 'urn:case-desk:problem:request-timeout' });
    }
    // The stalled ones by the idle timeout, the trickling ones by the total one; each within 1.5 s of it.
    for (const a of stalled) expect(a.after).toBeGreaterThanOrEqual(IDLE_MS - 50);
    for (const a of stalled) expect(a.after).toBeLessThan(IDLE_MS + 1500);
    for (const a of trickling) expect(a.after).toBeGreaterThanOrEqual(TOTAL_MS - 50);
    for (const a of trickling) expect(a.after).toBeLessThan(TOTAL_MS + 1500);
    // A failed request changes nothing.
    expect(Number((await t.dataSource.query(`SELECT count(*) AS n FROM arrest`))[0].n)).toBe(arrestsBefore);
    console.info(
      `${SLOW_UPLOADS} slow uploads on a pool of ${POOL}: sign-in took ${signIns.join('/')} ms, ` +
        `the audit seal advanced in ${sealedAfter} ms; uploads answered 408 after ` +
        `${stalled.map((a) => a.after).join('/')} ms (stalled) and ${trickling.map((a) => a.after).join('/')} ms (trickling)`,
    );
  }, 30_000);

  it('an upload that arrives in time is imported as before', async () => {
    const res = await request(t.server)
      .post('/api/v1/arrests/import')
      .set('Authorization', `Bearer ${officer.tokens.accessToken}`)
      .set('Content-Type', 'text/csv')
      .send(Buffer.from(toCsv(RAID_HEADER, [raidRow('KR', 1), raidRow('VN', 2)]), 'utf8'));
    expect(res.status).toBe(201);
    expect(res.body.recorded).toBe(2);
  });

  /**
   * A file upload to a case of KH's that declares `declared` bytes, sends `first`, then one byte every
   * `everyMs` until `total` bytes went (or nothing more when `everyMs` is null). Bounded by 15 s.
   */
  function fileUpload(caseId: string, declared: number, everyMs: number | null): Promise<Answer> {
    const started = Date.now();
    return new Promise<Answer>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: `/api/v1/cases/${caseId}/attachments`,
          headers: {
            Authorization: `Bearer ${officer.tokens.accessToken}`,
            'Content-Type': 'application/octet-stream',
            'Content-Length': String(declared),
            'X-Filename': 'statement.txt',
          },
        },
        (res) => {
          clearInterval(timer);
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            resolve({
              status: res.statusCode!,
              body: text ? JSON.parse(text) : null,
              after: Date.now() - started,
            });
          });
        },
      );
      req.on('error', () => undefined);
      let sent = 5;
      req.write('note ');
      if (everyMs !== null)
        timer = setInterval(() => {
          req.write('x');
          if (++sent === declared) {
            clearInterval(timer);
            req.end();
          }
        }, everyMs);
      setTimeout(() => {
        clearInterval(timer);
        req.destroy();
        resolve({ status: 0, body: null, after: Date.now() - started });
      }, 15_000).unref();
    });
  }

  it('a file upload whose client stops sending ends with 408 and records nothing; one that keeps trickling is kept', async () => {
    const made = await officer.post('/cases', { title: 'Slow files' }).expect(201);
    const caseId = made.body.id as string;
    const count = async () =>
      Number(
        (await t.dataSource.query(`SELECT count(*) AS n FROM attachment WHERE case_id = $1`, [caseId]))[0]
          .n,
      );
    // Declares 1,000 bytes and sends 5: before, no answer ever came (probe input 9).
    const [stalled, trickled] = await Promise.all([
      fileUpload(caseId, 1000, null),
      // A byte every 500 ms for ~5 s: longer in all than the idle limit, never idle that long.
      fileUpload(caseId, 15, 500),
    ]);
    expect({ status: stalled.status, type: stalled.body?.type }).toEqual({
      status: 408,
      type: 'urn:case-desk:problem:request-timeout',
    });
    expect(stalled.after).toBeGreaterThanOrEqual(IDLE_MS - 100);
    expect(stalled.after).toBeLessThan(IDLE_MS + 5000);
    expect(trickled.status).toBe(201);
    expect(await count()).toBe(1);
  }, 30_000);
});
