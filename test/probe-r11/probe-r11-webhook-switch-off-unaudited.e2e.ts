import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DISABLE_AFTER_FAILURES, WebhookDeliveryService } from '../../src/webhooks/webhook-delivery.service';
import { signIn, SignedIn } from '../support/http';
import { aDraft, taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

const SECRET = 'a-webhook-secret-of-at-least-32-characters';

/**
 * Probe (round 11): a webhook subscription switched off by the desk itself leaves no audit event. KH's
 * integrations account (admin and liaison) subscribes to `request.inbound`; its receiver keeps failing.
 * At the 50th failure in a row src/webhooks/webhook-delivery.service.ts `record` sets the
 * subscription `active = false` (`disabled_reason` 'disabled after repeated delivery failures') and only
 * writes a log line. `GET /webhooks` shows it off, but KH's auditors read no event for that change:
 * the trail's last word on the subscription is its creation, so it reads as still delivering. The same
 * change made by an admin (`POST /webhooks/:id/disable`) is audited `webhook.disable`; every change of
 * state is to be audited in its own transaction. (The count of 49 earlier failures is written directly;
 * the 50th is a real failed delivery.)
 */
describe('Probe r11: a webhook switched off after repeated failures is not in the audit trail', () => {
  let t: TestApp;
  let tf: TaskForce;
  let khHooks: SignedIn;
  let server: Server;
  let subscriptionId: string;
  let view: { active: boolean };
  let events: Array<{ action: string; changes: { after?: { active?: boolean } } | null }>;

  beforeAll(async () => {
    t = await createTestApp({}, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    tf = await taskForce(t);
    await t.dataSource.query(
      `INSERT INTO app_user (username, display_name, agency_id, country_code, roles, password_hash)
       SELECT 'kh.hooks', 'KH integrations', agency_id, country_code, '{admin,liaison}', password_hash
         FROM app_user WHERE username = 'kh.admin'`,
    );
    khHooks = await signIn(t.server, 'kh.hooks');
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.statusCode = 503;
        res.end();
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
    await t.dataSource.query(`UPDATE webhook_subscription SET consecutive_failures = $2 WHERE id = $1`, [
      subscriptionId,
      DISABLE_AFTER_FAILURES - 1,
    ]);

    const d = (
      await tf['kr.officer'].post('/information-requests', aDraft(tf.cambodiaKoreaFramework)).expect(201)
    ).body;
    const s = (
      await tf['kr.officer'].post(`/information-requests/${d.id}/submit`, { version: d.version }).expect(200)
    ).body;
    await tf['kr.liaison'].post(`/information-requests/${d.id}/approve`, { version: s.version }).expect(200);
    const [delivery] = await t.dataSource.query(
      `SELECT id FROM webhook_delivery WHERE subscription_id = $1`,
      [subscriptionId],
    );
    // A failed attempt throws so that the job queue retries it: here it is the expected outcome.
    const attempt = await t.app
      .get(WebhookDeliveryService)
      .attempt(delivery.id)
      .then(
        () => 'delivered',
        (error: Error) => error.message,
      );
    expect(attempt).toMatch(/HTTP 503/);

    view = (await khHooks.get('/webhooks').expect(200)).body.find(
      (w: { id: string }) => w.id === subscriptionId,
    );
    events = (
      await tf['kh.auditor']
        .get(`/audit-events?recordType=webhook&recordId=${subscriptionId}&limit=200`)
        .expect(200)
    ).body.items;
  }, 120_000);
  afterAll(async () => {
    await new Promise<void>((r) => server?.close(() => r()));
    await t?.close();
  });

  it('the subscription was switched off by the 50th failure in a row', () => {
    expect(view.active).toBe(false);
  });

  it('KH’s auditors read an event recording the switch-off', () => {
    expect(events.some((e) => e.changes?.after?.active === false)).toBe(true);
  });
});
