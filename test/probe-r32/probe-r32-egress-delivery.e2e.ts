import { WebhookDeliveryService } from '../../src/webhooks/webhook-delivery.service';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import {
  deliveryAbout,
  integrationAccount,
  receiver,
  Receiver,
  SECRET,
  sentToKh,
  subscribe,
} from './r32-support';

/**
 * Probe r32: what a delivery connects to. The desk allows its receiver on 127.0.0.1 only
 * (`WEBHOOK_ALLOWED_HOSTS=127.0.0.1`); a listener on 127.0.0.2 (loopback, not allow-listed) stands for
 * a service a hostile subscriber wants to reach. KH's integration account subscribes receivers that
 * answer with redirects (302, 307, 308) to that listener and to the metadata address; rows written
 * directly stand for subscriptions stored before a filter, in IPv4-compatible spellings of 127.0.0.2.
 * Every delivery must fail without a single connection to the listener, and its log say why.
 */
describe('Probe r32: a delivery connects only where the allow-list lets it', () => {
  let t: TestApp;
  let tf: TaskForce;
  let allowed: Receiver;
  let forbidden: Receiver;
  beforeAll(async () => {
    t = await createTestApp({}, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    tf = await taskForce(t);
    allowed = await receiver('127.0.0.1');
    forbidden = await receiver('127.0.0.2');
  }, 60_000);
  afterAll(async () => {
    await allowed?.close();
    await forbidden?.close();
    await t?.close();
  });

  it('follows no redirect and connects to no address outside the allow-list, whatever its spelling', async () => {
    const owner = await integrationAccount(t, 'kh.r32.egress', ['liaison']);
    const inside = forbidden.url('inside');
    const redirects = {
      r302: { status: 302, location: inside },
      r307: { status: 307, location: inside },
      r308: { status: 308, location: inside },
      r303: { status: 303, location: 'http://169.254.169.254/latest/meta-data/' },
      r301: { status: 301, location: 'http://[::ffff:127.0.0.2]:' + forbidden.port + '/hooks/mapped' },
    };
    const subs: Record<string, string> = {};
    for (const [name, answer] of Object.entries(redirects)) {
      allowed.answer[name] = answer;
      subs[name] = await subscribe(owner.as, allowed.url(name), ['request.inbound']);
    }
    // Stored before a filter: IPv4-compatible spellings of 127.0.0.2, which the subscription route
    // refuses (probe-r32-egress-spellings).
    for (const [name, url] of [
      ['compatible', `http://[::7f00:2]:${forbidden.port}/hooks/compatible`],
      ['compatibleDotted', `http://[::127.0.0.2]:${forbidden.port}/hooks/compatibleDotted`],
    ]) {
      const [row] = await t.dataSource.query(
        `INSERT INTO webhook_subscription (country_code, url, event_types, secret, created_by)
         VALUES ('KH', $1, '{request.inbound}', $2, $3) RETURNING id`,
        [url, SECRET, owner.id],
      );
      subs[name!] = row.id;
    }

    const r = await sentToKh(
      { officer: tf['kr.officer'], liaison: tf['kr.liaison'] },
      tf.cambodiaKoreaFramework,
    );
    const outcomes: Record<string, { error: string | null; statusCode: number | null }> = {};
    for (const [name, sub] of Object.entries(subs)) {
      const d = (await deliveryAbout(t, sub, r.id))!;
      await t.app
        .get(WebhookDeliveryService)
        .attempt(d.id)
        .catch(() => undefined); // a failed attempt throws for the job queue to retry it
      const [log] = (await owner.as.get(`/webhooks/${sub}/deliveries`).expect(200)).body as Array<{
        attempts: Array<{ error: string | null; statusCode: number | null }>;
      }>;
      const { error, statusCode } = log!.attempts[0]!;
      outcomes[name] = { error, statusCode };
    }

    expect(forbidden.connections()).toBe(0);
    expect(forbidden.hits).toEqual([]);
    // Each redirecting receiver was asked once and its answer logged as a failure, not followed.
    expect(allowed.hits.map((h) => h.hook).sort()).toEqual(Object.keys(redirects).sort());
    for (const [name, answer] of Object.entries(redirects))
      expect({ name, ...outcomes[name] }).toEqual({
        name,
        statusCode: answer.status,
        error: `HTTP ${answer.status}`,
      });
    for (const name of ['compatible', 'compatibleDotted'])
      expect({ name, ...outcomes[name] }).toEqual({
        name,
        statusCode: null,
        error: expect.stringMatching(/not a public address/),
      });
  });
});
