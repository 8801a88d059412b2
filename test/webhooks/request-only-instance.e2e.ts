import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DELIVERY_JOB } from '../../src/webhooks/webhook-outbox.service';
import {
  deliveryAbout,
  integrationAccount,
  receiver,
  Receiver,
  sentToKh,
  subscribe,
  waitFor,
} from '../probe-r32/r32-support';
import { BuiltServer, startBuiltServer, stopBuiltServer, waitUntilReady } from '../support/built-server';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { webhookDeliverySettings } from '../support/webhook-settings';

/**
 * Instances that only answer requests (`JOBS_ENABLED=false`, as the README advises beside one that runs
 * the jobs) still queue the jobs their requests create: a webhook goes out at the worker's next poll,
 * not a minute or two later when the sweeper finds the delivery without a job. Here the in-process app
 * answers the requests with jobs off, and a built server on its database runs the jobs.
 */
describe('Webhooks: a request-only instance queues the delivery, another instance delivers it', () => {
  let t: TestApp;
  let tf: TaskForce;
  let hooks: Receiver;
  let worker: BuiltServer | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'case-desk-request-only-'));
  beforeAll(async () => {
    t = await createTestApp({}, { ...webhookDeliverySettings(), JOBS_ENABLED: 'false' });
    tf = await taskForce(t);
    hooks = await receiver();
    hooks.answer.ok = 200;
  }, 60_000);
  afterAll(async () => {
    if (worker) await stopBuiltServer(worker);
    await hooks?.close();
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the request-only instance queues the job at once; the worker instance delivers it', async () => {
    const owner = await integrationAccount(t, 'kh.request.only.hooks', ['liaison']);
    const sub = await subscribe(owner.as, hooks.url('ok'), ['request.inbound']);
    const request = await sentToKh(
      { officer: tf['kr.officer'], liaison: tf['kr.liaison'] },
      tf.cambodiaKoreaFramework,
    );
    const delivery = await deliveryAbout(t, sub, request.id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 0 });
    // Queued by the instance that answered, though it runs no jobs.
    const queued = await t.dataSource.query(
      `SELECT state FROM pgboss.job WHERE name = $1 AND data->>'deliveryId' = $2`,
      [DELIVERY_JOB, delivery!.id],
    );
    expect(queued).toEqual([{ state: 'created' }]);

    const signingKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
    worker = startBuiltServer('worker', {
      NODE_ENV: 'test',
      DATABASE_URL: t.databaseUrl,
      DATABASE_POOL_SIZE: '4',
      DATA_DIR: dataDir,
      MIGRATIONS_RUN: 'false',
      SEED_DEMO_ON_EMPTY: 'false',
      OPENAPI_ENABLED: 'false',
      JWT_SECRET: 'request-only-instance-secret-that-is-long-enough-0123',
      AUDIT_SIGNING_KEY: String(signingKey),
      ...webhookDeliverySettings(),
    });
    await waitUntilReady(worker);
    // Delivered through the queued job, once, well before the sweeper would look at it (a delivery
    // without a job is queued again only once it is a minute old).
    const hit = await waitFor('the delivery', async () => hooks.about(request.id)[0], 40_000);
    expect(hit).toMatchObject({ hook: 'ok', answered: 200 });
    expect(await deliveryAbout(t, sub, request.id)).toMatchObject({ status: 'delivered', attempts: 1 });
    const [{ age }] = await t.dataSource.query(
      `SELECT extract(epoch FROM now() - created_at)::float AS age FROM webhook_delivery WHERE id = $1`,
      [delivery!.id],
    );
    expect(age).toBeLessThan(60);
    expect(hooks.about(request.id)).toHaveLength(1);
  }, 120_000);
});
