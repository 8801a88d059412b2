import { WebhookDeliveryService } from '../../src/webhooks/webhook-delivery.service';
import { deliveryAbout, integrationAccount, receiver, Receiver, subscribe } from '../probe-r32/r32-support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r49, lead 2: KH sends KR a RED repatriation request about KH's arrest of a KR national. KR's
 * integration accounts subscribe every event an arrest or a request raises. KH corrects the arrest,
 * schedules nothing yet, and messages the request. An account holding KR's officer role (not assigned)
 * or auditor role is not among the request's named recipients: nothing about the arrest or the request
 * may be queued or delivered to it; KR's liaison-role account is a recipient and is delivered both.
 */
describe('Probe r49: a RED repatriation’s arrest corrected, seen through KR’s webhooks', () => {
  let t: TestApp;
  let tf: TaskForce;
  let hooks: Receiver;
  const EVENTS = [
    'arrest.corrected',
    'request.inbound',
    'request.message',
    'request.assigned',
    'repatriation.scheduled',
    'repatriation.person_dropped',
  ];
  const subs: Record<string, string> = {};
  let arrestId: string;
  let requestId: string;

  const deliveriesOf = async (sub: string) =>
    (await t.dataSource.query(
      `SELECT n.event_type, n.record_id FROM webhook_delivery d JOIN notification n ON n.id = d.notification_id
        WHERE d.subscription_id = $1`,
      [sub],
    )) as Array<{ event_type: string; record_id: string }>;

  beforeAll(async () => {
    t = await createTestApp({}, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    tf = await taskForce(t);
    hooks = await receiver();
    const accounts: Array<[string, string[]]> = [
      ['officer', ['officer']],
      ['auditor', ['auditor']],
      ['liaison', ['liaison']],
    ];
    for (const [name, roles] of accounts) {
      const account = await integrationAccount(t, `kr.r49.${name}`, roles);
      hooks.answer[name] = 204;
      subs[name] = await subscribe(account.as, hooks.url(name), EVENTS);
    }
    const arrest = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: 'Golden Fortune compound, Building C',
          grounds: 'Online fraud',
          arrestingAgency: 'Cambodian National Police',
          nationality: 'KR',
          person: { names: [{ full: 'PARK R49', script: 'latin', kind: 'primary' }] },
        })
        .expect(201)
    ).body;
    arrestId = arrest.id;
    const draft = (
      await tf['kh.officer']
        .post('/repatriation-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KR',
          priority: 'routine',
          handlingCode: 'RED',
          subject: 'Repatriation of PARK R49',
          arrestIds: [arrestId],
        })
        .expect(201)
    ).body;
    requestId = draft.id;
    const submitted = (
      await tf['kh.officer']
        .post(`/repatriation-requests/${draft.id}/submit`, { version: draft.version })
        .expect(200)
    ).body;
    await tf['kh.liaison']
      .post(`/repatriation-requests/${draft.id}/approve`, { version: submitted.version })
      .expect(200);
    await tf['kh.officer']
      .patch(`/arrests/${arrestId}`, {
        version: arrest.version,
        place: 'Golden Fortune compound, Building D',
      })
      .expect(200);
    await tf['kh.liaison']
      .post(`/repatriation-requests/${requestId}/messages`, { body: 'Flight expected next week' })
      .expect(201);
  }, 120_000);
  afterAll(async () => {
    await hooks?.close();
    await t?.close();
  });

  it('the world: KR’s liaison reads the arrest, KR’s officer and auditor do not', async () => {
    await tf['kr.liaison'].get(`/arrests/${arrestId}`).expect(200);
    await tf['kr.officer'].get(`/arrests/${arrestId}`).expect(404);
    await tf['kr.auditor'].get(`/arrests/${arrestId}`).expect(404);
  });

  it('KR’s liaison-role integration is delivered the correction; the officer- and auditor-role ones get nothing', async () => {
    const liaison = await deliveriesOf(subs.liaison!);
    expect(liaison.map((d) => d.event_type)).toContain('arrest.corrected');
    const delivery = await deliveryAbout(t, subs.liaison!, arrestId);
    await t.app.get(WebhookDeliveryService).attempt(delivery!.id);
    expect(hooks.about(arrestId).map((h) => h.hook)).toEqual(['liaison']);
    for (const name of ['officer', 'auditor']) {
      expect(await deliveriesOf(subs[name]!)).toEqual([]);
      expect(hooks.hits.filter((h) => h.hook === name)).toEqual([]);
    }
    expect(hooks.about(requestId).filter((h) => h.hook !== 'liaison')).toEqual([]);
  });
});
