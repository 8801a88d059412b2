import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { BuiltServer, startBuiltServer, stopBuiltServer, waitUntilReady } from '../support/built-server';
import { TEST_DEMO_PASSWORD } from '../support/demo-password';
import { signIn as signInAs } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';
import { describeChange } from '../security/security-support';
import { refusalFault, writeWatch } from '../probe-input4/probe-input4-support';
import { heapAfterCollection } from './probe-input5-support';

/**
 * Probe (input round 5): JSON bodies made of very many small values. A body's depth and the width of
 * each object were bounded (MAX_INPUT_DEPTH, MAX_INPUT_FIELDS), the length of a list and the number of
 * values in a body were not, and each value cost the server far more than its bytes: JSON.parse built
 * it (~70 bytes of heap for `{}`, 3 bytes of body), the duplicate-name check and the InputGuard walked
 * it (the guard with a path string per item), and the ValidationPipe copied it through
 * class-transformer before `@ArrayMaxSize` refused the list.
 *
 * Found: `POST /arrests/batch` (16 MB body limit, any officer) with `{"arrests":[{},{},…]}`, 5.6 million
 * empty objects: the server held the event loop 26 s and its heap went from 125 MB to 1.5 GB in the
 * test process; the built server, run as `npm start` runs it (`--max-old-space-size=1024`), died with
 * "JavaScript heap out of memory". And an anonymous `POST /auth/login` of 1 MB whose `username` is a
 * list of 350,000 `{}` held the loop ~1.3 s (about 1 s of server CPU per such request, before any
 * sign-in limit counts it). Now the JSON parser counts a body's values before parsing it, at most one
 * per 16 bytes of the route's body limit (65,536 for 1 MB, 1,048,576 for the raid batch), and the
 * InputGuard refuses a list longer than any list of the API (MAX_INPUT_ITEMS, 2,000), both as a 400
 * naming the body or the field (src/common/http/utf8-json-body.ts, input-guard.ts).
 */
describe('Probe: bodies of very many small values', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  const signIn = (body: string) =>
    request(t.server).post('/api/v1/auth/login').set('Content-Type', 'application/json').send(body);
  const MB = 1024 * 1024;
  /** `{"<field>":[<item>,<item>,…]}` of about `bytes` bytes. */
  const listBody = (field: string, item: string, bytes: number) => {
    const n = Math.floor((bytes - field.length - 10) / (item.length + 1));
    return `{"${field}":[${Array.from({ length: n }, () => item).join(',')}]}`;
  };

  it('the raid batch at its 16 MB limit, 5.6 million empty objects, to the server as npm start runs it: a 400 problem, and it keeps answering', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'case-desk-probe-input5-'));
    const server: BuiltServer = startBuiltServer('probe-input5', {
      NODE_ENV: 'test',
      DATABASE_URL: t.databaseUrl,
      DATABASE_POOL_SIZE: '2',
      DATA_DIR: dataDir,
      MIGRATIONS_RUN: 'false',
      SEED_DEMO_ON_EMPTY: 'false',
      OPENAPI_ENABLED: 'false',
      JOBS_ENABLED: 'false',
      LOG_LEVEL: 'warn',
      JWT_SECRET: 'probe-input5-secret-that-is-long-enough-0123456789',
      AUDIT_SIGNING_KEY: String(
        generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
      ),
    });
    try {
      await waitUntilReady(server);
      const tokens = (
        await request(server.url)
          .post('/api/v1/auth/login')
          .send({ username: 'kr.officer', password: TEST_DEMO_PASSWORD })
          .expect(200)
      ).body as { accessToken: string };
      const watch = await writeWatch(t);
      const before = await watch();
      const flood = listBody('arrests', '{}', 16 * MB - 64);
      const res = await request(server.url)
        .post('/api/v1/arrests/batch')
        .set('Authorization', `Bearer ${tokens.accessToken}`)
        .set('Content-Type', 'application/json')
        .send(flood)
        .then(
          (answer) => answer,
          (error: Error) => `no answer: ${error.message}`,
        );
      const exited = server.process.exitCode ?? server.process.signalCode;
      expect({
        answer: typeof res === 'string' ? res : refusalFault(res),
        exited,
        outOfMemory: /heap out of memory/.test(server.output()),
      }).toEqual({ answer: [], exited: null, outOfMemory: false });
      expect(typeof res === 'string' ? res : res.body.errors).toEqual([
        { field: 'body', message: expect.stringMatching(/^the body holds more than 1048576 values/) },
      ]);
      expect(describeChange(before, await watch())).toBe('');
      // Still serving: the same officer records a raid of one arrest.
      const one = await request(server.url)
        .post('/api/v1/arrests/batch')
        .set('Authorization', `Bearer ${tokens.accessToken}`)
        .send({
          arrests: [
            {
              arrestedAt: '2026-03-01T02:30:00Z',
              place: 'Golden Fortune compound',
              grounds: 'Online fraud',
              arrestingAgency: 'Police',
              nationality: 'KH',
              person: { names: [{ full: 'SOK Dara', kind: 'primary' }] },
            },
          ],
        });
      expect(one.status).toBe(201);
    } finally {
      await stopBuiltServer(server);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);

  it('an anonymous sign-in of 1 MB whose username is a list of 350,000 objects: a 400 naming the body, nothing recorded', async () => {
    const watch = await writeWatch(t);
    const before = await watch();
    const res = await signIn(listBody('username', '{}', MB - 64));
    expect({ status: res.status, faults: refusalFault(res), errors: res.body.errors }).toEqual({
      status: 400,
      faults: [],
      errors: [{ field: 'body', message: expect.stringMatching(/^the body holds more than 65536 values/) }],
    });
    expect(describeChange(before, await watch())).toBe('');
  });

  it('a list longer than any of the API but within the value limit (60,000 numbers): a 400 naming the field for its length, nothing recorded', async () => {
    const watch = await writeWatch(t);
    const before = await watch();
    const list = `[${Array.from({ length: 60_000 }, () => '0').join(',')}]`;
    for (const body of [`{"username":${list},"password":"x"}`, list]) {
      const res = await signIn(body);
      const field = body.startsWith('[') ? 'body' : 'username';
      expect({ status: res.status, faults: refusalFault(res), errors: res.body.errors }).toEqual({
        status: 400,
        faults: [],
        errors: [{ field, message: `${field} has 60000 items; no list of this API has more than 2000` }],
      });
    }
    expect(describeChange(before, await watch())).toBe('');
  });

  it('an anonymous sign-in of 1 MB of short lists (each under the list limit) nested in one field: a 400 naming the body, nothing recorded', async () => {
    // 200 lists of 1,000 empty objects each: no list is long and no object wide, but 200,000 values.
    const inner = `{"a":[${Array.from({ length: 1000 }, () => '{}').join(',')}]}`;
    const body = `{"username":[${Array.from({ length: 200 }, () => inner).join(',')}],"password":"x"}`;
    expect(body.length).toBeLessThan(MB);
    const watch = await writeWatch(t);
    const before = await watch();
    const res = await signIn(body);
    expect({ status: res.status, faults: refusalFault(res), errors: res.body.errors }).toEqual({
      status: 400,
      faults: [],
      errors: [{ field: 'body', message: expect.stringMatching(/^the body holds more than 65536 values/) }],
    });
    expect(describeChange(before, await watch())).toBe('');
  });

  it('control: a check of 1,000 phones (the most one takes) to a partner is answered as ever', async () => {
    const officer = await signInAs(t.server, 'kr.officer');
    const identifiers = Array.from({ length: 1000 }, (_, i) => ({
      kind: 'phone',
      value: `+8551${String(i).padStart(7, '0')}`,
    }));
    const res = await officer.post('/identifier-checks', { partners: ['KH'], identifiers });
    expect({ status: res.status, identifierCount: res.body.identifierCount }).toEqual({
      status: 201,
      identifierCount: 1000,
    });
  });

  it('a bounded flood of 40 hostile 1 MB sign-ins leaves the heap where it was, and a normal sign-in works after', async () => {
    const bodies = [
      listBody('username', '{}', MB - 64),
      listBody('password', '0', MB - 64),
      `{"username":${'{"a":'.repeat(30)}${listBody('b', '""', MB - 400)}${'}'.repeat(30)}}`,
    ];
    for (const body of bodies) await signIn(body); // warm up
    const before = heapAfterCollection();
    for (let i = 0; i < 40; i++) expect((await signIn(bodies[i % bodies.length]!)).status).toBe(400);
    const grown = heapAfterCollection() - before;
    expect({ grownMB: Math.round(grown / MB), under32MB: grown < 32 * MB }).toEqual({
      grownMB: Math.round(grown / MB),
      under32MB: true,
    });
    const ok = await request(t.server)
      .post('/api/v1/auth/login')
      .send({ username: 'kr.screener', password: TEST_DEMO_PASSWORD });
    expect(ok.status).toBe(200);
  });
});
