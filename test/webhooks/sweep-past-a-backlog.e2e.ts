import { JobsService } from '../../src/jobs/jobs.service';
import { DELIVERY_JOB, WebhookOutbox } from '../../src/webhooks/webhook-outbox.service';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { webhookDeliverySettings } from '../support/webhook-settings';
import {
  deliveryAbout,
  integrationAccount,
  receiver,
  Receiver,
  sentToKh,
  subscribe,
  waitFor,
} from '../probe-r32/r32-support';

/**
 * The minute sweeper re-queues a pending delivery whose job was lost (a crash between commit and
 * queueing), and leaves alone one whose job is only waiting. With 500 and more deliveries waiting on
 * their jobs (a receiver down for a while: each waits out its retry delay), the sweeper must still find
 * the one whose job was lost: the "has a live job" test is part of its query, before its LIMIT, not
 * applied to the 500 rows the LIMIT kept.
 *
 * Here the job queue runs for real; the backlog's jobs are queued to start an hour from now.
 */
describe('Webhooks: the sweeper finds a lost delivery behind a backlog of waiting ones', () => {
  let t: TestApp;
  let tf: TaskForce;
  let hooks: Receiver;
  beforeAll(async () => {
    t = await createTestApp({}, webhookDeliverySettings(3600));
    tf = await taskForce(t);
    hooks = await receiver();
    hooks.answer.ok = 200;
  }, 60_000);
  afterAll(async () => {
    await hooks?.close();
    await t?.close();
  });

  it('re-queues the lost delivery, which is then delivered; the waiting ones keep their one job each', async () => {
    const owner = await integrationAccount(t, 'kh.backlog.hooks', ['liaison']);
    const sub = await subscribe(owner.as, hooks.url('ok'), ['request.inbound']);
    const jobs = t.app.get(JobsService);
    // Every delivery job the app queues is lost (its send comes after the request's commit), but the
    // sweeper's; the backlog's are queued by the test itself.
    const realSend = jobs.send.bind(jobs);
    let sweeping = false;
    jest
      .spyOn(jobs, 'send')
      .mockImplementation(async (name, data, options) =>
        name !== DELIVERY_JOB || sweeping ? realSend(name, data, options) : undefined,
      );
    const kr = { officer: tf['kr.officer'], liaison: tf['kr.liaison'] };
    // The backlog, first: 520 deliveries (of one notification each, copies of a first request's) ten
    // minutes old, every one with its job waiting (its retry an hour away).
    const first = await sentToKh(kr, tf.cambodiaKoreaFramework);
    const [template] = await t.dataSource.query(
      `SELECT n.* FROM notification n JOIN webhook_delivery d ON d.notification_id = n.id
        WHERE d.subscription_id = $1 AND n.record_id = $2`,
      [sub, first.id],
    );
    const backlog: Array<{ id: string }> = await t.dataSource.query(
      `WITH n AS (
         INSERT INTO notification (event_type, country_code, roles, record_type, record_id, reference, payload)
         SELECT $1, $2, $3, $4, $5, $6, $7 FROM generate_series(1, 520) RETURNING id)
       INSERT INTO webhook_delivery (subscription_id, notification_id, created_at)
       SELECT $8, n.id, now() - interval '10 minutes' FROM n RETURNING id`,
      [
        template.event_type,
        template.country_code,
        template.roles,
        template.record_type,
        template.record_id,
        template.reference,
        template.payload,
        sub,
      ],
    );
    // Then the lost one: its request and delivery commit, its job is never queued; two minutes old.
    const request = await sentToKh(kr, tf.cambodiaKoreaFramework);
    const lost = (await deliveryAbout(t, sub, request.id))!;
    await t.dataSource.query(
      `UPDATE webhook_delivery SET created_at = now() - interval '2 minutes' WHERE id = $1`,
      [lost.id],
    );
    for (const { id } of backlog)
      await realSend(DELIVERY_JOB, { deliveryId: id }, { singletonKey: id, startAfter: 3600 });

    sweeping = true;
    await t.app.get(WebhookOutbox).sweep();
    sweeping = false;

    await waitFor(
      'the lost delivery delivered',
      async () =>
        (await t.dataSource.query(`SELECT status FROM webhook_delivery WHERE id = $1`, [lost.id]))[0]
          .status === 'delivered',
    );
    expect(hooks.about(request.id)).toHaveLength(1);
    // The backlog kept one job each: none queued again beside its waiting one.
    const [{ jobs: backlogJobs, deliveries }] = await t.dataSource.query(
      `SELECT count(*)::int AS jobs, count(DISTINCT singleton_key)::int AS deliveries FROM pgboss.job
        WHERE name = $1 AND singleton_key = ANY($2::text[])`,
      [DELIVERY_JOB, backlog.map((b) => b.id)],
    );
    expect({ backlogJobs, deliveries }).toEqual({ backlogJobs: backlog.length, deliveries: backlog.length });
  }, 90_000);
});
