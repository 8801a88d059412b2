import { BlacklistExpiryNoticeService } from '../../src/blacklist/blacklist-expiry-notice.service';
import { Clock } from '../../src/common/time/clock';
import { JobsService } from '../../src/jobs/jobs.service';
import { WebhookDeliveryService } from '../../src/webhooks/webhook-delivery.service';
import { deliveryAbout, integrationAccount, receiver, Receiver, subscribe } from '../probe-r32/r32-support';
import { proposedAndAccepted, threeSuspects } from '../support/blacklist-scenario';
import { SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

interface Notice {
  eventType: string;
  recordType: string;
  recordId: string;
  reference: string | null;
  payload: Record<string, unknown>;
}

const EXPIRING = 'blacklist.entry_expiring';

// KR asked KH to ban Lee until a date. Nobody was told before the ban lapsed: the fugitive could walk
// through KH's border the next day. Now KH's liaisons (who may extend it) and KR's (who may ask them to)
// are told 14 days before, once for each expiry date.
describe('Both countries are told before a ban lapses, once per expiry date', () => {
  let t: TestApp;
  let tf: TaskForce;
  let hooks: Receiver;

  beforeAll(async () => {
    t = await createTestApp({}, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    tf = await taskForce(t);
    hooks = await receiver();
  });
  afterAll(async () => {
    await hooks?.close();
    await t?.close();
  });
  afterEach(() => jest.restoreAllMocks());

  /** The hourly job, run as if today were `day` (only the day moves: sign-ins keep the real time). */
  const runOn = async (day: string) => {
    const spy = jest.spyOn(t.app.get(Clock), 'today').mockReturnValue(day);
    try {
      return await t.app.get(BlacklistExpiryNoticeService).tellExpiring();
    } finally {
      spy.mockRestore();
    }
  };
  const inboxOf = async (who: SignedIn, entryId: string): Promise<Notice[]> =>
    ((await who.get('/notifications?limit=200').expect(200)).body.items as Notice[]).filter(
      (n) => n.recordId === entryId && n.eventType === EXPIRING,
    );
  /** KR's three suspects, accepted by KH; Lee banned until `lee`, Park until `park`. */
  async function banned(lee: string, park: string) {
    const { proposal } = await proposedAndAccepted(tf, threeSuspects(tf.cambodiaKoreaFramework));
    const [leeEntry, parkEntry] = proposal.entries as Array<{ id: string }>;
    for (const [entry, expiresOn] of [
      [leeEntry!, lee],
      [parkEntry!, park],
    ] as const)
      await tf['kh.liaison']
        .post(`/blacklist-entries/${entry.id}/activate`, {
          version: 1,
          legalBasis: 'Immigration Law art. 29',
          expiresOn,
        })
        .expect(200);
    return { proposal, lee: leeEntry!.id, park: parkEntry!.id };
  }

  it('14 days before: KH’s and KR’s liaisons are told, with what both read of the entry; not before, not twice, not MY', async () => {
    const { proposal, lee, park } = await banned('2040-03-31', '2040-12-31');
    expect(await runOn('2040-03-16')).toBe(0); // 15 days before
    expect(await inboxOf(tf['kh.liaison'], lee)).toEqual([]);

    expect(await runOn('2040-03-17')).toBe(1); // 14 days before; Park's ban is months away
    for (const who of [tf['kh.liaison'], tf['kh.liaison2'], tf['kr.liaison'], tf['kr.liaison2']]) {
      const [notice, ...more] = await inboxOf(who, lee);
      expect(more).toEqual([]);
      expect(notice).toMatchObject({
        eventType: EXPIRING,
        recordType: 'blacklist_entry',
        recordId: lee,
        reference: proposal.reference,
        payload: {
          entryId: lee,
          proposalId: proposal.id,
          proposalReference: proposal.reference,
          proposingCountry: 'KR',
          banningCountry: 'KH',
          expiresOn: '2040-03-31',
        },
      });
      expect(Object.keys(notice!.payload).sort()).toEqual([
        'banningCountry',
        'entryId',
        'expiresOn',
        'proposalId',
        'proposalReference',
        'proposingCountry',
      ]);
      // Each field is one both countries read on the entry, with the same value.
      const view = (await who.get(`/blacklist-entries/${lee}`).expect(200)).body;
      expect(view).toMatchObject({
        id: lee,
        proposalId: proposal.id,
        proposalReference: proposal.reference,
        proposingCountry: 'KR',
        banningCountry: 'KH',
        expiresOn: '2040-03-31',
      });
    }
    expect(await inboxOf(tf['kh.liaison'], park)).toEqual([]);

    // The next runs, and the last day, tell nobody again.
    expect(await runOn('2040-03-17')).toBe(0);
    expect(await runOn('2040-03-31')).toBe(0);
    expect(await inboxOf(tf['kr.liaison'], lee)).toHaveLength(1);
    // To the liaisons of the two countries only: not MY, not the officers or auditors.
    for (const who of [
      tf['my.liaison'],
      tf['my.officer'],
      tf['kh.officer'],
      tf['kr.officer'],
      tf['kh.auditor'],
    ])
      expect(await inboxOf(who, lee)).toEqual([]);
    expect(
      await t.dataSource.query(
        `SELECT country_code, roles FROM notification WHERE event_type = $1 AND record_id = $2 ORDER BY 1`,
        [EXPIRING, lee],
      ),
    ).toEqual([
      { country_code: 'KH', roles: ['liaison'] },
      { country_code: 'KR', roles: ['liaison'] },
    ]);
    // Written with its audit event, by the rule (not a user).
    expect(
      await t.dataSource.query(
        `SELECT actor_kind, actor_username, owner_country, counterpart_country, details FROM audit_event
          WHERE action = 'blacklist.entry.expiring' AND record_id = $1`,
        [lee],
      ),
    ).toEqual([
      {
        actor_kind: 'system',
        actor_username: 'blacklist-expiry-notice',
        owner_country: 'KR',
        counterpart_country: 'KH',
        details: { expiresOn: '2040-03-31' },
      },
    ]);
  });

  it('an extended ban is told again as its new date comes near, not at once', async () => {
    const { lee } = await banned('2041-03-31', '2041-12-31');
    expect(await runOn('2041-03-20')).toBe(1);
    const { version } = (await tf['kh.liaison'].get(`/blacklist-entries/${lee}`).expect(200)).body;
    await tf['kh.liaison']
      .post(`/blacklist-entries/${lee}/extend`, {
        version,
        expiresOn: '2041-09-30',
        reason: 'Warrant renewed',
      })
      .expect(200);
    expect(await runOn('2041-03-20')).toBe(0);
    expect(await runOn('2041-09-15')).toBe(0);
    expect(await runOn('2041-09-16')).toBe(1);
    expect((await inboxOf(tf['kr.liaison'], lee)).map((n) => n.payload.expiresOn).sort()).toEqual([
      '2041-03-31',
      '2041-09-30',
    ]);
    expect((await inboxOf(tf['kh.liaison'], lee)).map((n) => n.payload.expiresOn).sort()).toEqual([
      '2041-03-31',
      '2041-09-30',
    ]);
  });

  it('two instances running the job at once tell each ban once; a lifted ban is not told', async () => {
    const { lee, park } = await banned('2042-03-31', '2042-03-30');
    await tf['kh.liaison']
      .post(`/blacklist-entries/${park}/lift`, { version: 2, reason: 'Arrested' })
      .expect(200);
    const spy = jest.spyOn(t.app.get(Clock), 'today').mockReturnValue('2042-03-25');
    const service = t.app.get(BlacklistExpiryNoticeService);
    const counts = await Promise.all([
      service.tellExpiring(),
      service.tellExpiring(),
      service.tellExpiring(),
    ]);
    spy.mockRestore();
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await inboxOf(tf['kh.liaison'], lee)).toHaveLength(1);
    expect(await inboxOf(tf['kh.liaison'], park)).toEqual([]);
    expect(
      await t.dataSource.query(
        `SELECT count(*)::int AS n FROM notification WHERE event_type = $1 AND record_id = ANY($2)`,
        [EXPIRING, [lee, park]],
      ),
    ).toEqual([{ n: 2 }]);
  });

  it('runs as the job blacklist-expiry-notice; a KR webhook subscribed to it is delivered it, an MY one is not', async () => {
    expect(t.app.get(JobsService).names).toContain('blacklist-expiry-notice');
    const kr = await integrationAccount(t, 'kr.hooks.expiring', ['liaison']);
    const my = await integrationAccount(t, 'my.hooks.expiring', ['liaison']);
    hooks.answer.kr = 204;
    hooks.answer.my = 204;
    const krSub = await subscribe(kr.as, hooks.url('kr'), [EXPIRING]);
    const mySub = await subscribe(my.as, hooks.url('my'), [EXPIRING]);
    const { lee } = await banned('2043-03-31', '2043-12-31');
    const spy = jest.spyOn(t.app.get(Clock), 'today').mockReturnValue('2043-03-20');
    await t.app.get(JobsService).runNow('blacklist-expiry-notice');
    spy.mockRestore();

    expect(await deliveryAbout(t, mySub, lee)).toBeUndefined();
    const delivery = await deliveryAbout(t, krSub, lee);
    await t.app.get(WebhookDeliveryService).attempt(delivery!.id);
    const [hit, ...more] = hooks.about(lee);
    expect(more).toEqual([]);
    expect(hit!.hook).toBe('kr');
    expect(JSON.parse(hit!.body)).toMatchObject({
      type: EXPIRING,
      recordType: 'blacklist_entry',
      recordId: lee,
    });
  });
});
