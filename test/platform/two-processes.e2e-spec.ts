import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { BuiltServer, startBuiltServer, stopBuiltServer, waitUntilReady } from '../support/built-server';
import { TEST_DEMO_PASSWORD } from '../support/demo-password';
import { signIn, SignedIn } from '../support/http';
import { aDraft } from '../support/scenario';
import { HEAVY_TEST_TIMEOUT_MS } from '../support/timeouts';
import { createTestApp, TestApp } from '../support/test-app';
import { webhookDeliverySettings } from '../support/webhook-settings';

/**
 * N replicas behind a load balancer on one PostgreSQL (issue 21), with N = 2: two built servers
 * (`node dist/src/main.js`, each its own PORT) on this spec's database, both running the jobs, and
 * every request of a flow sent to one or the other as a balancer would. What one process knows in
 * memory must not matter: the sign-in limit, a disabled user, a job, an idempotency key.
 */
const PER_USERNAME = 6;

describe('Two server processes on one database', () => {
  let t: TestApp;
  const servers: BuiltServer[] = [];
  let a: BuiltServer;
  let b: BuiltServer;
  const dataDir = mkdtempSync(join(tmpdir(), 'case-desk-two-processes-'));

  beforeAll(async () => {
    t = await createTestApp();
    // A webhook delivers only what its owner may read: an admin who is also a liaison of KH.
    await t.dataSource.query(
      `INSERT INTO app_user (username, display_name, agency_id, country_code, roles, password_hash)
       SELECT 'kh.hooks', 'KH integrations', agency_id, country_code, '{admin,liaison}', password_hash
         FROM app_user WHERE username = 'kh.admin'`,
    );
    const signingKey = String(
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    const env = {
      NODE_ENV: 'test' as const,
      DATABASE_URL: t.databaseUrl,
      DATABASE_POOL_SIZE: '4',
      DATA_DIR: dataDir,
      MIGRATIONS_RUN: 'false',
      SEED_DEMO_ON_EMPTY: 'false',
      OPENAPI_ENABLED: 'false',
      LOG_LEVEL: 'warn',
      JWT_SECRET: 'two-processes-secret-that-is-long-enough-0123456789',
      AUDIT_SIGNING_KEY: signingKey,
      ...webhookDeliverySettings(),
      LOGIN_RATE_LIMIT_PER_USERNAME: String(PER_USERNAME),
      LOGIN_RATE_LIMIT_PER_ADDRESS: '1000',
    };
    a = startBuiltServer('process A', env);
    b = startBuiltServer('process B', env);
    servers.push(a, b);
    await Promise.all(servers.map((s) => waitUntilReady(s, 60_000)));
  }, HEAVY_TEST_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all(servers.map(stopBuiltServer));
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const signInStatus = (server: BuiltServer, username: string, password = TEST_DEMO_PASSWORD) =>
    request(server.url)
      .post('/api/v1/auth/login')
      .send({ username, password })
      .then((r) => r.status);

  it('keeps one sign-in limit across both: failed attempts on either count against the same minute', async () => {
    const statuses: number[] = [];
    // Alternating as a round-robin balancer would. Successful sign-ins are not counted; failures are,
    // and each process alone would allow PER_USERNAME of them; past those even the right password waits.
    for (let i = 0; i < PER_USERNAME; i++) statuses.push(await signInStatus(i % 2 ? b : a, 'my.screener'));
    for (let i = 0; i < PER_USERNAME + 1; i++)
      statuses.push(await signInStatus(i % 2 ? b : a, 'my.screener', 'not the password at all'));
    statuses.push(await signInStatus(a, 'my.screener'));
    expect(statuses).toEqual([...Array(PER_USERNAME).fill(200), ...Array(PER_USERNAME).fill(401), 429, 429]);
  });

  it('refuses a disabled user on both processes at the next request, although each had just let it in', async () => {
    const officer = await signIn(a.url, 'kr.officer2');
    const meOn = (server: BuiltServer) =>
      request(server.url).get('/api/v1/auth/me').set('Authorization', `Bearer ${officer.tokens.accessToken}`);
    const me = (await meOn(a).expect(200)).body as { id: string };
    // Both processes now hold the user in their cache (kept up to two seconds without a change).
    await meOn(b).expect(200);
    await meOn(a).expect(200);

    const admin = await signIn(b.url, 'kr.admin');
    await admin.post(`/users/${me.id}/disable`).expect(200);
    await meOn(a).expect(401);
    await meOn(b).expect(401);
  });

  it('honours an idempotency key on both: replayed by the other process, 422 with another body, one record when sent to both at once', async () => {
    const onA = await signIn(a.url, 'kr.officer');
    const onB = await signIn(b.url, 'kr.officer');
    const body = { title: 'Raid on the Golden Fortune compound', openedOn: '2026-03-01' };

    const first = await onA.post('/cases', body).set('Idempotency-Key', 'two-processes-0001').expect(201);
    const replay = await onB.post('/cases', body).set('Idempotency-Key', 'two-processes-0001').expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    await onB
      .post('/cases', { ...body, title: 'Another raid' })
      .set('Idempotency-Key', 'two-processes-0001')
      .expect(422);

    const title = `Sent to both at once ${randomUUID()}`;
    const both = await Promise.all(
      [onA, onB].map((who) =>
        who.post('/cases', { title, openedOn: '2026-03-01' }).set('Idempotency-Key', 'two-processes-0002'),
      ),
    );
    expect(both.map((r) => r.status)).toEqual([201, 201]);
    expect(both[0].body.id).toBe(both[1].body.id);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM case_file WHERE title = $1`, [
      title,
    ]);
    expect(n).toBe(1);
  });

  it(
    'runs each job once: every webhook delivery reaches the receiver once although both processes work the queue',
    async () => {
      const received: string[] = [];
      const receiver: Server = createServer((req, res) => {
        let raw = '';
        req.on('data', (c) => (raw += c));
        req.on('end', () => {
          received.push((JSON.parse(raw) as { recordId: string }).recordId);
          res.end();
        });
      });
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
      try {
        const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
        const hooks = await signIn(b.url, 'kh.hooks');
        await hooks
          .post('/webhooks', {
            url,
            eventTypes: ['request.inbound'],
            secret: 'a-webhook-secret-of-at-least-32-characters',
          })
          .expect(201);
        const [framework] = await t.dataSource.query(
          `SELECT id FROM framework WHERE name = 'Cambodia–Korea Joint Task Force'`,
        );
        const officer: SignedIn[] = [await signIn(a.url, 'kr.officer'), await signIn(b.url, 'kr.officer')];
        const liaison: SignedIn[] = [await signIn(b.url, 'kr.liaison'), await signIn(a.url, 'kr.liaison')];
        const sent: string[] = [];
        for (let i = 0; i < 4; i++) {
          const d = (await officer[i % 2].post('/information-requests', aDraft(framework.id)).expect(201))
            .body;
          const s = (
            await officer[(i + 1) % 2]
              .post(`/information-requests/${d.id}/submit`, { version: d.version })
              .expect(200)
          ).body;
          await liaison[i % 2]
            .post(`/information-requests/${d.id}/approve`, { version: s.version })
            .expect(200);
          sent.push(d.id);
        }

        // Wait until every delivery is recorded as delivered, then stop both processes: a graceful stop
        // lets running jobs finish, so a second delivery of any of them would have reached the receiver.
        const deadline = Date.now() + 60_000;
        for (;;) {
          const [{ n }] = await t.dataSource.query(
            `SELECT count(*)::int AS n FROM webhook_delivery WHERE status = 'delivered'`,
          );
          if (n >= sent.length) break;
          if (Date.now() > deadline) throw new Error(servers.map((s) => s.output()).join('\n'));
          await new Promise((r) => setTimeout(r, 250));
        }
        await Promise.all(servers.map(stopBuiltServer));

        expect(received.sort()).toEqual([...sent].sort());
        const attempts = await t.dataSource.query(
          `SELECT d.attempts, count(a.id)::int AS logged FROM webhook_delivery d
           LEFT JOIN webhook_attempt a ON a.delivery_id = d.id GROUP BY d.id`,
        );
        expect(attempts).toEqual(sent.map(() => ({ attempts: 1, logged: 1 })));
      } finally {
        await new Promise((r) => receiver.close(r));
      }
    },
    HEAVY_TEST_TIMEOUT_MS,
  );
});
