import { randomUUID } from 'node:crypto';
import { signIn, SignedIn } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r25: webhook subscriptions carry no unique key (URL, secret). A KH admin subscribing the very
 * URL and secret KR's admin subscribed is not refused, and KR's subscription id answers KH's admin what
 * a random id answers on every route that takes one (disable, enable, deliveries); KH's list holds only
 * its own.
 */
describe('Probe r25: KR’s webhook URL and id tell KH’s admin nothing', () => {
  let t: TestApp;
  let krAdmin: SignedIn;
  let khAdmin: SignedIn;
  beforeAll(async () => {
    t = await createTestApp();
    krAdmin = await signIn(t.server, 'kr.admin');
    khAdmin = await signIn(t.server, 'kh.admin');
  }, 60_000);
  afterAll(() => t?.close());

  const subscription = {
    url: 'https://hooks.example.org/case-desk/r25',
    eventTypes: ['request.inbound'],
    secret: 'r25-shared-secret-0123456789abcdef',
  };
  const answer = (res: { status: number; body: Record<string, unknown> }, id: string) => {
    const { requestId: _r, instance: _i, ...rest } = res.body;
    return { status: res.status, body: JSON.parse(JSON.stringify(rest).split(id).join('[id]')) };
  };

  it('lets KH subscribe KR’s URL and secret, and reads KR’s subscription id as no id', async () => {
    const kr = (await krAdmin.post('/webhooks', subscription)).body;
    expect(kr.id).toEqual(expect.any(String));
    const kh = await khAdmin.post('/webhooks', subscription);
    expect(kh.status).toBe(201);
    expect(kh.body.id).not.toBe(kr.id);

    const none = randomUUID();
    for (const [method, path] of [
      ['post', ':id/disable'],
      ['post', ':id/enable'],
      ['get', ':id/deliveries'],
    ] as const) {
      const call = (id: string) =>
        method === 'get'
          ? khAdmin.get(`/webhooks/${path.replace(':id', id)}`)
          : khAdmin.post(`/webhooks/${path.replace(':id', id)}`);
      const ofKr = answer(await call(kr.id), kr.id);
      expect(ofKr.status).toBe(404);
      expect(ofKr).toEqual(answer(await call(none), none));
    }
    const listed = (await khAdmin.get('/webhooks').expect(200)).body;
    expect(listed.map((w: { id: string }) => w.id)).toEqual([kh.body.id]);
    // KR's subscription is untouched by KH's tries.
    expect((await krAdmin.get('/webhooks').expect(200)).body).toEqual([
      expect.objectContaining({ id: kr.id, active: true }),
    ]);
  });
});
