import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { WebhookDeliveryService } from '../../src/webhooks/webhook-delivery.service';
import { signIn, SignedIn } from '../support/http';
import { aDraft, taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

const SECRET = 'a-webhook-secret-of-at-least-32-characters';

/**
 * Probe (round 11): an admin's "switch this webhook off" is undone, unaudited, by a delivery that was
 * already on its way. KH's integrations account (admin and liaison, so its subscription may carry
 * request events) subscribes `POST /webhooks { url, eventTypes: ['request.inbound'] }`. KR sends KH a
 * request: a delivery is queued. While that delivery is being sent, KH's admin switches the subscription
 * off (`POST /webhooks/:id/disable`, 200, audited `webhook.disable`) — e.g. because the receiver was found
 * compromised — and the receiver then answers 503. The failure is recorded by
 * src/webhooks/webhook-delivery.service.ts `record`, whose
 * `UPDATE webhook_subscription SET … active = consecutive_failures + 1 < 50` sets `active` from the
 * failure count alone: 1 < 50, so the subscription is active again. `GET /webhooks` shows it active,
 * the next request KR sends to KH is queued to the endpoint the admin shut off, and nothing in the audit
 * trail says the subscription was switched back on (every state change is to be audited).
 * Fix: the failure count may only ever switch a subscription off (`active = active AND …`), and an
 * automatic switch-off is audited.
 */
describe('Probe r11: a delivery in flight re-enables a webhook the admin just switched off', () => {
  let t: TestApp;
  let tf: TaskForce;
  let khAdmin: SignedIn;
  let khHooks: SignedIn;
  let server: Server;
  let subscriptionId: string;
  let disableStatus = 0;
  let afterDisable: { active: boolean };
  let secondDeliveries: number;
  let lastAudited: string | undefined;

  async function sentRequest(subject: string) {
    const d = (
      await tf['kr.officer']
        .post('/information-requests', aDraft(tf.cambodiaKoreaFramework, { subject }))
        .expect(201)
    ).body;
    const s = (
      await tf['kr.officer'].post(`/information-requests/${d.id}/submit`, { version: d.version }).expect(200)
    ).body;
    await tf['kr.liaison'].post(`/information-requests/${d.id}/approve`, { version: s.version }).expect(200);
  }

  const deliveriesOf = async (id: string): Promise<Array<{ id: string; status: string }>> =>
    t.dataSource.query(
      `SELECT id, status FROM webhook_delivery WHERE subscription_id = $1 ORDER BY created_at`,
      [id],
    );

  beforeAll(async () => {
    t = await createTestApp({}, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    tf = await taskForce(t);
    khAdmin = await signIn(t.server, 'kh.admin');
    await t.dataSource.query(
      `INSERT INTO app_user (username, display_name, agency_id, country_code, roles, password_hash)
       SELECT 'kh.hooks', 'KH integrations', agency_id, country_code, '{admin,liaison}', password_hash
         FROM app_user WHERE username = 'kh.admin'`,
    );
    khHooks = await signIn(t.server, 'kh.hooks');

    // The receiver: while the delivery is in flight, KH's admin switches the subscription off; then the
    // receiver fails the delivery.
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        void khAdmin.post(`/webhooks/${subscriptionId}/disable`).then((r) => {
          disableStatus = r.status;
          res.statusCode = 503;
          res.end();
        });
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;

    subscriptionId = (
      await khHooks
        .post('/webhooks', {
          url: `http://127.0.0.1:${port}/hooks/case-desk`,
          eventTypes: ['request.inbound'],
          secret: SECRET,
        })
        .expect(201)
    ).body.id;

    await sentRequest('First inbound request');
    const [first] = await deliveriesOf(subscriptionId);
    // A failed attempt throws so that the job queue retries it: here it is the expected outcome.
    const attempt = await t.app
      .get(WebhookDeliveryService)
      .attempt(first!.id)
      .then(
        () => 'delivered',
        (error: Error) => error.message,
      );
    expect(attempt).toMatch(/HTTP 503/);

    afterDisable = (await khHooks.get('/webhooks').expect(200)).body.find(
      (w: { id: string }) => w.id === subscriptionId,
    );
    await sentRequest('Second inbound request, after the switch-off');
    secondDeliveries = (await deliveriesOf(subscriptionId)).length - 1;
    const events = (
      await tf['kh.auditor']
        .get(`/audit-events?recordType=webhook&recordId=${subscriptionId}&limit=200`)
        .expect(200)
    ).body.items as Array<{ action: string }>;
    // Newest first: the last audited change of the subscription's state.
    lastAudited = events.find((e) => ['webhook.enable', 'webhook.disable'].includes(e.action))?.action;
  }, 120_000);
  afterAll(async () => {
    await new Promise<void>((r) => server?.close(() => r()));
    await t?.close();
  });

  it('the admin switched the subscription off while the delivery was in flight (200)', () => {
    expect(disableStatus).toBe(200);
  });

  it('the subscription stays off after the in-flight delivery fails', () => {
    expect(afterDisable.active).toBe(false);
  });

  it('nothing more is queued to the endpoint the admin switched off', () => {
    expect(secondDeliveries).toBe(0);
  });

  it('the audit trail accounts for the state the subscription is in', () => {
    expect(lastAudited).toBe(afterDisable.active ? 'webhook.enable' : 'webhook.disable');
  });
});
