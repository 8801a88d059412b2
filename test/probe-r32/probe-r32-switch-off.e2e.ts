import { randomUUID } from 'node:crypto';
import { DISABLE_AFTER_FAILURES, WebhookDeliveryService } from '../../src/webhooks/webhook-delivery.service';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { deliveryAbout, integrationAccount, receiver, Receiver, sentToKh, subscribe } from './r32-support';

/**
 * Probe r32: the automatic switch-off after `DISABLE_AFTER_FAILURES` failures in a row. Who reads it
 * (KH's admins in `GET /webhooks`, KH's auditors in the trail, actor the system), whether it is written
 * with its audit event or not at all (an audit write made to fail must leave the subscription on and the
 * failure uncounted), and whether KR or MY — admins, auditors — can tell KH's subscription or its
 * switch-off from an id that never existed. (The 49 earlier failures are written directly, as in r11;
 * the 50th is a real failed delivery.)
 */
describe('Probe r32: the switch-off after repeated failures', () => {
  let t: TestApp;
  let tf: TaskForce;
  let hooks: Receiver;
  let owner: { id: string; as: SignedIn };
  let sub: string;
  let delivery: string;
  const attempt = (id: string) =>
    t.app
      .get(WebhookDeliveryService)
      .attempt(id)
      .then(
        () => 'returned',
        (e: Error) => e.message,
      );

  beforeAll(async () => {
    t = await createTestApp({}, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    tf = await taskForce(t);
    hooks = await receiver();
    owner = await integrationAccount(t, 'kh.r32.hooks', ['liaison']);
    sub = await subscribe(owner.as, hooks.url('failing'), ['request.inbound']);
    await t.dataSource.query(`UPDATE webhook_subscription SET consecutive_failures = $2 WHERE id = $1`, [
      sub,
      DISABLE_AFTER_FAILURES - 1,
    ]);
    const r = await sentToKh(
      { officer: tf['kr.officer'], liaison: tf['kr.liaison'] },
      tf.cambodiaKoreaFramework,
    );
    delivery = (await deliveryAbout(t, sub, r.id))!.id;
  }, 60_000);
  afterAll(async () => {
    await hooks?.close();
    await t?.close();
  });

  const subscriptionRow = async () =>
    (
      await t.dataSource.query(
        `SELECT active, consecutive_failures, disabled_reason,
                (SELECT count(*)::int FROM webhook_attempt a WHERE a.delivery_id = $2) AS attempts_logged
           FROM webhook_subscription WHERE id = $1`,
        [sub, delivery],
      )
    )[0];

  it('a switch-off whose audit event cannot be written is not made: the subscription stays on, the failure uncounted', async () => {
    await t.dataSource.query(`
      CREATE FUNCTION r32_refuse_switch_off_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.action = 'webhook.disable' AND NEW.actor_kind = 'system' THEN
          RAISE EXCEPTION 'r32: the audit write fails';
        END IF;
        RETURN NEW;
      END $$`);
    await t.dataSource.query(`
      CREATE TRIGGER r32_refuse_switch_off_event BEFORE INSERT ON audit_event
        FOR EACH ROW EXECUTE FUNCTION r32_refuse_switch_off_event()`);
    try {
      expect(await attempt(delivery)).toMatch(/the audit write fails/);
    } finally {
      await t.dataSource.query(`DROP TRIGGER r32_refuse_switch_off_event ON audit_event`);
      await t.dataSource.query(`DROP FUNCTION r32_refuse_switch_off_event()`);
    }
    expect(hooks.hits).toHaveLength(1);
    expect(await subscriptionRow()).toEqual({
      active: true,
      consecutive_failures: DISABLE_AFTER_FAILURES - 1,
      disabled_reason: null,
      attempts_logged: 0,
    });
  });

  it('the 50th failure switches it off, audited in KH’s trail by the system; KH’s admins read it off', async () => {
    expect(await attempt(delivery)).toMatch(/HTTP 503/);
    expect(await subscriptionRow()).toMatchObject({ active: false, attempts_logged: 1 });

    const events = (
      await tf['kh.auditor'].get(`/audit-events?recordType=webhook&recordId=${sub}&limit=200`).expect(200)
    ).body.items as Array<{
      action: string;
      actor: { kind: string; userId: string | null };
      changes: unknown;
    }>;
    expect(events.map((e) => e.action).sort()).toEqual(['webhook.create', 'webhook.disable']);
    const off = events.find((e) => e.action === 'webhook.disable')!;
    expect(off.actor).toMatchObject({ kind: 'system', userId: null });
    expect(off.changes).toMatchObject({ after: { active: false } });

    // Any admin of KH reads it switched off; why (a count of deliveries) only its owner (test/webhooks).
    const listed = (await (await signIn(t.server, 'kh.admin')).get('/webhooks').expect(200)).body as Array<{
      id: string;
      active: boolean;
      disabledReason?: string | null;
    }>;
    expect(listed.find((w) => w.id === sub)).toMatchObject({ active: false });
    const own = (await owner.as.get('/webhooks').expect(200)).body as typeof listed;
    expect(own.find((w) => w.id === sub)).toMatchObject({
      active: false,
      disabledReason: expect.stringMatching(/repeated delivery failures/),
    });
    // A request sent now queues nothing for it.
    const later = await sentToKh(
      { officer: tf['kr.officer'], liaison: tf['kr.liaison'] },
      tf.cambodiaKoreaFramework,
    );
    expect(await deliveryAbout(t, sub, later.id)).toBeUndefined();
  });

  it('KR’s and MY’s admins and auditors read KH’s switched-off subscription as an id that never existed', async () => {
    const none = randomUUID();
    /** An answer with the id asked for written `[id]`, and the request's own ids left out. */
    const answer = (res: { status: number; body: unknown }, id: string) => {
      const { requestId: _r, instance: _i, ...rest } = (res.body ?? {}) as Record<string, unknown>;
      return { status: res.status, body: JSON.stringify(rest).split(id).join('[id]') };
    };
    // Their whole trails first (the probes below are audited as their own reads, naming the id they asked).
    for (const auditor of [tf['kr.auditor'], tf['my.auditor']]) {
      const trail = (await auditor.get('/audit-events?limit=200').expect(200)).body;
      expect(JSON.stringify(trail)).not.toContain(sub);
    }
    for (const country of ['kr', 'my']) {
      const admin = await signIn(t.server, `${country}.admin`);
      const auditor = tf[`${country}.auditor` as 'kr.auditor' | 'my.auditor'];
      const listed = (await admin.get('/webhooks').expect(200)).body;
      expect(JSON.stringify(listed)).not.toContain(sub);
      const calls: Array<[SignedIn, (id: string) => string, 'get' | 'post']> = [
        [admin, (id) => `/webhooks/${id}/deliveries`, 'get'],
        [admin, (id) => `/webhooks/${id}/enable`, 'post'],
        [auditor, (id) => `/audit-events?recordType=webhook&recordId=${id}`, 'get'],
        [auditor, (id) => `/audit-events/timeline?recordType=webhook&recordId=${id}`, 'get'],
      ];
      for (const [who, path, method] of calls) {
        const ask = (id: string) => (method === 'get' ? who.get(path(id)) : who.post(path(id)));
        const ofKh = answer(await ask(sub), sub);
        expect({ country, path: path('[id]'), ...ofKh }).toEqual({
          country,
          path: path('[id]'),
          ...answer(await ask(none), none),
        });
        expect(ofKh.status).toBeLessThan(500);
      }
    }
    // KR's `enable` of KH's id changed nothing.
    expect(await subscriptionRow()).toMatchObject({ active: false });
  });
});
