import { narrowRoles } from '../probe-r23/r23-support';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import {
  deliveryAbout,
  integrationAccount,
  receiver,
  Receiver,
  sentToKh,
  subscribe,
  waitFor,
} from './r32-support';
import { webhookDeliverySettings } from '../support/webhook-settings';

/**
 * Probe r32: a webhook delivery queued while its subscription's owner could read the record, whose
 * first attempt failed, and whose retry comes after that right ended. The job queue runs for real here
 * (pg-boss, `WEBHOOK_RETRY_DELAY_SECONDS=1`): nothing calls the delivery by hand. Each case: the receiver
 * answers 503 until the right is taken away, then 200 — a retry that still sent the record would be
 * answered 200 and leave the delivery `delivered`. Ways the right ends: the owner's reading role taken
 * away, the owner's account disabled, a RED request reassigned away from the owner, the case share
 * revoked, and the subscription switched off by another admin. Control: a framework suspended does not
 * end the target's reading of a request it was sent, and the retry is sent.
 */
describe('Probe r32: a webhook retried after its owner’s right to read ended', () => {
  let t: TestApp;
  let tf: TaskForce;
  let hooks: Receiver;
  let khAdmin: SignedIn;
  let kr: { officer: SignedIn; liaison: SignedIn };
  beforeAll(async () => {
    t = await createTestApp({}, webhookDeliverySettings());
    tf = await taskForce(t);
    khAdmin = await signIn(t.server, 'kh.admin');
    kr = { officer: tf['kr.officer'], liaison: tf['kr.liaison'] };
    hooks = await receiver();
  }, 60_000);
  afterAll(async () => {
    await hooks?.close();
    await t?.close();
  });

  /**
   * Waits for the first failed attempt of `sub`'s delivery about `recordId`, then `takeAway()`, then lets
   * the receiver accept, and waits for the delivery job to be done with it. Answers what the receiver was
   * sent about the record and the delivery as stored.
   */
  async function retriedAfter(hook: string, sub: string, recordId: string, takeAway: () => Promise<void>) {
    const delivery = await waitFor('the first attempt', async () => {
      const d = await deliveryAbout(t, sub, recordId);
      return d && d.attempts >= 1 ? d : undefined;
    });
    expect(hooks.about(recordId).map((h) => h.answered)).toContain(503);
    await takeAway();
    hooks.answer[hook] = 200;
    // Done: the delivery left `pending`, or its job left the queue (the job returns early for a
    // subscription that is off).
    await waitFor('the delivery job to be done', async () => {
      const d = await deliveryAbout(t, sub, recordId);
      if (d?.status !== 'pending') return true;
      const live = await t.dataSource.query(
        `SELECT 1 FROM pgboss.job WHERE name = 'webhook-delivery' AND singleton_key = $1
            AND state IN ('created', 'retry', 'active')`,
        [delivery.id],
      );
      return live.length === 0;
    });
    return { sent: hooks.about(recordId), stored: (await deliveryAbout(t, sub, recordId))! };
  }

  it('the owner’s liaison role taken away: the RED request is not sent on the retry', async () => {
    const owner = await integrationAccount(t, 'kh.r32.role', ['liaison']);
    const sub = await subscribe(owner.as, hooks.url('role'), ['request.inbound']);
    const red = await sentToKh(kr, tf.cambodiaKoreaFramework, { handlingCode: 'RED' });
    const { sent, stored } = await retriedAfter('role', sub, red.id, () =>
      narrowRoles(t, 'kh.r32.role', ['admin']),
    );
    expect(sent.map((h) => h.answered)).not.toContain(200);
    expect(stored).toMatchObject({ status: 'failed' });
    // The log its creator (still an admin) reads names neither the request nor its reference.
    const log = await owner.as.get(`/webhooks/${sub}/deliveries`).expect(200);
    expect(JSON.stringify(log.body)).not.toContain(red.id);
    expect(JSON.stringify(log.body)).not.toContain(red.reference);
  });

  it('the owner’s account disabled: the request is not sent on the retry', async () => {
    const owner = await integrationAccount(t, 'kh.r32.off', ['liaison']);
    const sub = await subscribe(owner.as, hooks.url('off'), ['request.inbound']);
    const r = await sentToKh(kr, tf.cambodiaKoreaFramework);
    const { sent, stored } = await retriedAfter('off', sub, r.id, async () => {
      await khAdmin.post(`/users/${owner.id}/disable`).expect(200);
    });
    expect(sent.map((h) => h.answered)).not.toContain(200);
    expect(stored).toMatchObject({ status: 'failed' });
  });

  it('a RED request reassigned away from the owner: the message event is not sent on the retry', async () => {
    const owner = await integrationAccount(t, 'kh.r32.red', ['officer']);
    const sub = await subscribe(owner.as, hooks.url('red'), ['request.message']);
    const red = await sentToKh(kr, tf.cambodiaKoreaFramework, { handlingCode: 'RED' });
    const path = `/information-requests/${red.id}`;
    const accepted = (await tf['kh.liaison'].post(`${path}/accept`, { version: red.version }).expect(200))
      .body;
    let assigned = (
      await tf['kh.liaison']
        .post(`${path}/assign`, { version: accepted.version, assigneeId: owner.id })
        .expect(200)
    ).body;
    await owner.as.get(path).expect(200);
    await kr.officer.post(`${path}/messages`, { body: 'Any news on the RED request?' }).expect(201);
    const { sent, stored } = await retriedAfter('red', sub, red.id, async () => {
      assigned = (
        await tf['kh.liaison']
          .post(`${path}/assign`, { version: assigned.version, assigneeId: await tf.userId('kh.officer') })
          .expect(200)
      ).body;
      await owner.as.get(path).expect(404);
    });
    expect(sent.map((h) => h.answered)).not.toContain(200);
    expect(stored).toMatchObject({ status: 'failed' });
  });

  it('the case share revoked: the correlation alert about the case is not sent on the retry', async () => {
    const phone = '+85512303232';
    const person = (who: SignedIn, full: string) =>
      who
        .post('/persons', { names: [{ full, script: 'latin', kind: 'primary' }], phones: [phone] })
        .expect(201);
    const owner = await integrationAccount(t, 'kh.r32.share', ['officer']);
    const sub = await subscribe(owner.as, hooks.url('share'), ['identifier.correlation']);
    // KH's own open case holds the phone: the share raises a correlation alert about KR's case.
    const khPerson = (await person(tf['kh.officer'], 'KH HOLDER R32')).body;
    await tf['kh.officer']
      .post('/cases', { title: 'KH r32 line', persons: [{ personId: khPerson.id, role: 'suspect' }] })
      .expect(201);
    const krPerson = (await person(kr.officer, 'KR SUBJECT R32')).body;
    const krCase = (
      await kr.officer
        .post('/cases', { title: 'Shared r32', persons: [{ personId: krPerson.id, role: 'suspect' }] })
        .expect(201)
    ).body;
    await kr.liaison
      .post(`/cases/${krCase.id}/shares`, { countryCode: 'KH', handlingCode: 'GREEN' })
      .expect(201);
    const { sent, stored } = await retriedAfter('share', sub, krCase.id, async () => {
      await kr.liaison.delete(`/cases/${krCase.id}/shares/KH`).expect(200);
      await owner.as.get(`/cases/${krCase.id}`).expect(404);
    });
    expect(sent.map((h) => h.answered)).not.toContain(200);
    expect(stored).toMatchObject({ status: 'failed' });
  });

  it('the subscription switched off by another admin: nothing is sent after, and the delivery does not read as still on its way', async () => {
    const owner = await integrationAccount(t, 'kh.r32.sub', ['liaison']);
    const sub = await subscribe(owner.as, hooks.url('sub'), ['request.inbound']);
    const r = await sentToKh(kr, tf.cambodiaKoreaFramework);
    const { sent, stored } = await retriedAfter('sub', sub, r.id, async () => {
      await khAdmin.post(`/webhooks/${sub}/disable`).expect(200);
    });
    expect(sent.map((h) => h.answered)).not.toContain(200);
    // Its job is done with it: a delivery left `pending` would read, in its creator's log, as one still
    // on its way, although nothing will ever send it (the sweeper re-queues only unattempted ones).
    expect(stored.status).toBe('failed');
    const log = (await owner.as.get(`/webhooks/${sub}/deliveries`).expect(200)).body as Array<{
      status: string;
    }>;
    expect(log.map((d) => d.status)).not.toContain('pending');
  });

  it('control: a framework suspended leaves the target reading the request, and the retry is sent', async () => {
    const owner = await integrationAccount(t, 'kh.r32.fw', ['liaison']);
    const sub = await subscribe(owner.as, hooks.url('fw'), ['request.inbound']);
    const r = await sentToKh(kr, tf.cambodiaKoreaFramework);
    const platform = await signIn(t.server, 'platform.admin');
    try {
      const { sent, stored } = await retriedAfter('fw', sub, r.id, async () => {
        await platform.patch(`/frameworks/${tf.cambodiaKoreaFramework}`, { active: false }).expect(200);
        await owner.as.get(`/information-requests/${r.id}`).expect(200);
      });
      expect(stored).toMatchObject({ status: 'delivered' });
      expect(sent.filter((h) => h.answered === 200)).toHaveLength(1);
      expect(JSON.parse(sent.find((h) => h.answered === 200)!.body)).toMatchObject({
        type: 'request.inbound',
        recordId: r.id,
        reference: r.reference,
      });
    } finally {
      await platform.patch(`/frameworks/${tf.cambodiaKoreaFramework}`, { active: true }).expect(200);
    }
  });
});
