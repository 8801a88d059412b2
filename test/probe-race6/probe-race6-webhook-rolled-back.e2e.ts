import { personKhGaveKr } from '../sharing/support';
import { givenIn } from '../support/given';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { broken, NUMBER, said, together } from './race6-support';

/**
 * Probe race 6: MY has a webhook subscription for `request.message` (owned by an MY admin who is also a
 * liaison, so it may read MY's requests). KR writes a message on a request it sent to MY while the KR–MY
 * framework ends (`PUT /frameworks/:id/members/MY {leftOn: today}`, undone after each round), or writes
 * one carrying the number KH gave KR under AMBER. A message that was refused (rolled back) leaves no
 * delivery for MY; one MY reads has exactly one. Jobs are off in the test app, so deliveries stay
 * `pending` in `webhook_delivery`, where they are counted.
 */
describe('MY’s webhook deliveries for KR messages written as the framework ends', () => {
  let t: TestApp;
  let tf: TaskForce;
  let admin: SignedIn;
  let krMy: string;
  let joinedOn: string;
  let subscription: string;
  const ROUNDS = 8;
  const today = () => new Date().toISOString().slice(0, 10);
  const end = () => admin.put(`/frameworks/${krMy}/members/MY`, { joinedOn, leftOn: today() });
  const resume = async () =>
    admin.put(`/frameworks/${krMy}/members/MY`, { joinedOn, leftOn: null }).expect(200);

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    admin = await signIn(t.server, 'platform.admin');
    await personKhGaveKr(tf, 'AMBER');
    krMy = (await tf.frameworkBetween('KR', 'MY'))!;
    const framework = (await admin.get('/frameworks').expect(200)).body.find(
      (f: { id: string }) => f.id === krMy,
    );
    joinedOn = framework.memberships.find((m: { country: string }) => m.country === 'MY').joinedOn;
    await t.dataSource.query(
      `INSERT INTO app_user (username, display_name, agency_id, country_code, roles, password_hash)
       SELECT 'my.hooks', 'MY integrations', agency_id, country_code, '{admin,liaison}', password_hash
         FROM app_user WHERE username = 'my.admin'`,
    );
    [{ id: subscription }] = await t.dataSource.query(
      `INSERT INTO webhook_subscription (country_code, url, event_types, secret, created_by)
       SELECT 'MY', 'https://hooks.example.my/case-desk', '{request.message}',
              'a-webhook-secret-of-at-least-32-characters', id FROM app_user WHERE username = 'my.hooks'
       RETURNING id`,
    );
  }, 120_000);
  afterAll(() => t?.close());

  const deliveries = async (requestId: string): Promise<number> =>
    (
      await t.dataSource.query(
        `SELECT count(*)::int AS n FROM webhook_delivery d JOIN notification n ON n.id = d.notification_id
          WHERE d.subscription_id = $1 AND n.record_id = $2 AND n.event_type = 'request.message'`,
        [subscription, requestId],
      )
    )[0].n as number;
  const messagesMyReads = async (path: string): Promise<number> => {
    const res = await tf['my.liaison'].get(`${path}/messages`);
    const body = res.body as unknown[] | { items: unknown[] };
    return res.status === 200 ? (Array.isArray(body) ? body : body.items).length : -1;
  };

  it('a message MY reads has one delivery; a message with no delivery is one MY never reads (the control)', async () => {
    const r = await givenIn(tf).anInformationRequest().from('KR').sentTo('MY').sent();
    const path = `/information-requests/${r.id}`;
    await tf['kr.officer'].post(`${path}/messages`, { body: 'Any news on the compound?' }).expect(201);
    expect(await messagesMyReads(path)).toBe(1);
    expect(await deliveries(r.id)).toBe(1);
  });

  it.each([
    ['a message of KR’s own', (round: number) => `Our own line is +8210777${String(2000 + round)}`],
    ['a message carrying the number KH gave KR', () => `Call his handler on ${NUMBER}`],
  ])(
    '%s raced with the end: as many deliveries as messages MY reads, never one for a refused message',
    async (_what, body) => {
      const lines: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const r = await givenIn(tf).anInformationRequest().from('KR').sentTo('MY').sent();
        const path = `/information-requests/${r.id}`;
        const [m, e] = await together(
          round,
          () => tf['kr.officer'].post(`${path}/messages`, { body: body(round) }),
          end,
          1,
        );
        await resume();
        lines.push(
          `round ${round}: message ${said(m)}, end ${said(e)}, MY reads ${await messagesMyReads(path)}, deliveries ${await deliveries(r.id)}`,
        );
      }
      const consistent = (l: string) =>
        /end 200/.test(l) &&
        (/message 201, .*MY reads 1, deliveries 1$/.test(l) ||
          /message 409[^,]*, .*MY reads 0, deliveries 0$/.test(l));
      expect(broken(lines, consistent)).toEqual([]);
    },
    120_000,
  );
});
