import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JobsService } from '../../src/jobs/jobs.service';
import { WebhookOutbox } from '../../src/webhooks/webhook-outbox.service';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { deliveryAbout, integrationAccount, sentToKh, subscribe, waitFor } from './r32-support';
import { webhookDeliverySettings } from '../support/webhook-settings';

/**
 * Probe r32: the minute sweeper re-queues a pending delivery not yet attempted and older than a minute
 * ("a crash between commit and queueing"). It cannot tell a lost job from a late one: a delivery whose
 * first attempt is still under way (a slow receiver, a queue backed up) is re-queued too. The job's
 * `singletonKey` does not prevent it: pg-boss keeps the key unique only in queues of its singleton
 * policies, and the desk's are `standard`. The second job then attempts the delivery again at once, not
 * after its retry delay (`WEBHOOK_RETRY_DELAY_SECONDS`, an hour here, so no retry may come during the
 * test), and two instances may send it twice at the same time.
 *
 * Here the job queue runs for real. The delivery's first job is the sweeper's (its own was "lost"), its
 * POST is held by the receiver while the next minute's sweep runs, then answered 503. Expected: one POST.
 */
describe('Probe r32: a sweep while a delivery’s first attempt is under way', () => {
  let t: TestApp;
  let tf: TaskForce;
  let server: Server;
  let url: string;
  const posts: string[] = [];
  let held: ServerResponse | null = null;
  beforeAll(async () => {
    t = await createTestApp({}, webhookDeliverySettings(3600));
    tf = await taskForce(t);
    // The first POST is held until the test answers it; any later one is answered 503 at once.
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        posts.push(body);
        if (posts.length === 1) held = res;
        else res.writeHead(503).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/slow`;
  }, 60_000);
  afterAll(async () => {
    (held as ServerResponse | null)?.end();
    await new Promise<void>((r) => server?.close(() => r()));
    await t?.close();
  });

  it('queues no second job beside a live one: the delivery is attempted once', async () => {
    const owner = await integrationAccount(t, 'kh.r32.slow', ['liaison']);
    const sub = await subscribe(owner.as, url, ['request.inbound']);
    // The crash: the request and its delivery commit, the delivery's job is never queued.
    const send = jest.spyOn(t.app.get(JobsService), 'send').mockResolvedValue(undefined);
    const request = await sentToKh(
      { officer: tf['kr.officer'], liaison: tf['kr.liaison'] },
      tf.cambodiaKoreaFramework,
    ).finally(() => send.mockRestore());
    const delivery = (await deliveryAbout(t, sub, request.id))!;
    await t.dataSource.query(
      `UPDATE webhook_delivery SET created_at = now() - interval '2 minutes' WHERE id = $1`,
      [delivery.id],
    );
    const outbox = t.app.get(WebhookOutbox);

    await outbox.sweep();
    await waitFor('the first POST, held', async () => held !== null);
    // The next minute's sweep, while that first attempt is under way.
    await outbox.sweep();
    (held as ServerResponse | null)!.writeHead(503).end();

    // Everything runnable has run: the delivery was attempted and no job of it is queued or running
    // (the retry waits an hour).
    await waitFor('the queue to be done with the delivery', async () => {
      const d = await deliveryAbout(t, sub, request.id);
      if (!d || d.attempts < 1) return false;
      const live = await t.dataSource.query(
        `SELECT 1 FROM pgboss.job WHERE name = 'webhook-delivery' AND singleton_key = $1
            AND state IN ('created', 'active')`,
        [delivery.id],
      );
      return live.length === 0;
    });
    expect(posts.filter((p) => p.includes(request.id))).toHaveLength(1);
    const [log] = (await owner.as.get(`/webhooks/${sub}/deliveries`).expect(200)).body as Array<{
      attempts: unknown[];
    }>;
    expect(log!.attempts).toHaveLength(1);
  });
});
