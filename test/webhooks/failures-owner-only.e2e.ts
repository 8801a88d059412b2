import { WebhookDeliveryService } from '../../src/webhooks/webhook-delivery.service';
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
} from '../probe-r32/r32-support';

/**
 * A subscription is delivered only what its owner may read, RED requests included. Its failure count
 * (and the reason of a switch-off after failures) rises with those deliveries: another admin of the
 * country reading it in `GET /webhooks` would learn when RED events happened. Only the owner reads those
 * fields; the other admins see the subscription without them, and may still switch it off.
 */
describe('Webhooks: what deliveries tell is for the subscription’s owner', () => {
  let t: TestApp;
  let tf: TaskForce;
  let hooks: Receiver;
  let owner: { id: string; as: SignedIn };
  let other: SignedIn;
  let sub: string;
  const listedBy = async (who: SignedIn) =>
    ((await who.get('/webhooks').expect(200)).body as Array<Record<string, unknown>>).find(
      (w) => w.id === sub,
    );

  beforeAll(async () => {
    t = await createTestApp({}, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    tf = await taskForce(t);
    hooks = await receiver();
    owner = await integrationAccount(t, 'kh.owner.hooks', ['liaison']);
    other = await signIn(t.server, 'kh.admin');
    sub = await subscribe(owner.as, hooks.url('down'), ['request.inbound']);
    const r = await sentToKh(
      { officer: tf['kr.officer'], liaison: tf['kr.liaison'] },
      tf.cambodiaKoreaFramework,
    );
    const delivery = (await deliveryAbout(t, sub, r.id))!;
    await t.app
      .get(WebhookDeliveryService)
      .attempt(delivery.id)
      .catch(() => undefined);
  }, 60_000);
  afterAll(async () => {
    await hooks?.close();
    await t?.close();
  });

  it('the owner reads the failure count; another admin of the country reads the subscription without it', async () => {
    expect(hooks.hits).toHaveLength(1);
    expect(await listedBy(owner.as)).toMatchObject({
      active: true,
      consecutiveFailures: 1,
      disabledReason: null,
    });
    const seen = await listedBy(other);
    expect(seen).toMatchObject({ id: sub, active: true });
    expect(Object.keys(seen!).sort()).toEqual(['active', 'createdAt', 'eventTypes', 'id', 'url']);
  });

  it('another admin switches it off and reads the answer without the count; the owner reads it off', async () => {
    const off = await other.post(`/webhooks/${sub}/disable`).expect(200);
    expect(Object.keys(off.body).sort()).toEqual(['active', 'createdAt', 'eventTypes', 'id', 'url']);
    expect(off.body.active).toBe(false);
    expect(Object.keys((await listedBy(other))!).sort()).toEqual([
      'active',
      'createdAt',
      'eventTypes',
      'id',
      'url',
    ]);
    expect(await listedBy(owner.as)).toMatchObject({ active: false, consecutiveFailures: 0 });
  });
});
