import { createServer, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookDeliveryService } from '../../src/webhooks/webhook-delivery.service';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { deliveryAbout, integrationAccount, sentToKh, subscribe, waitFor } from '../probe-r32/r32-support';

/**
 * Two jobs of one delivery (a sweep beside a live job, two instances) run `attempt()` at once: the
 * delivery is POSTed once for that attempt, not once per job. The receiver holds every POST until the
 * test answers it, so the second job runs while the first one's POST is under way.
 */
describe('Webhooks: two jobs of one delivery at once POST it once', () => {
  let t: TestApp;
  let tf: TaskForce;
  let server: Server;
  let url: string;
  const held: Array<{ body: string; res: ServerResponse }> = [];
  beforeAll(async () => {
    t = await createTestApp({}, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    tf = await taskForce(t);
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => held.push({ body, res }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/held`;
  }, 60_000);
  afterAll(async () => {
    for (const h of held) h.res.end();
    await new Promise<void>((r) => server?.close(() => r()));
    await t?.close();
  });

  it('one POST, one attempt logged, the delivery delivered', async () => {
    const owner = await integrationAccount(t, 'kh.twice.hooks', ['liaison']);
    const sub = await subscribe(owner.as, url, ['request.inbound']);
    const request = await sentToKh(
      { officer: tf['kr.officer'], liaison: tf['kr.liaison'] },
      tf.cambodiaKoreaFramework,
    );
    const delivery = (await deliveryAbout(t, sub, request.id))!;
    const service = t.app.get(WebhookDeliveryService);
    let returned = 0;
    const jobs = [service.attempt(delivery.id), service.attempt(delivery.id)].map((p) =>
      p.finally(() => (returned += 1)),
    );
    // Until both jobs have POSTed, or one of them has ended without: then every POST is answered 200.
    await waitFor(
      'both POSTs, or a job that ended without one',
      async () => held.length >= 2 || returned >= 1,
    );
    for (const h of held) h.res.writeHead(200).end();
    await Promise.all(jobs);

    expect(held.filter((h) => h.body.includes(request.id)).length).toBe(1);
    expect(await deliveryAbout(t, sub, request.id)).toMatchObject({ status: 'delivered', attempts: 1 });
    const [log] = (await owner.as.get(`/webhooks/${sub}/deliveries`).expect(200)).body as Array<{
      attempts: unknown[];
    }>;
    expect(log!.attempts).toHaveLength(1);
  });
});
