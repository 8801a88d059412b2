import { proposedAndAccepted, threeSuspects } from '../support/blacklist-scenario';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { deliveryAbout, integrationAccount, receiver, Receiver, subscribe } from '../probe-r32/r32-support';
import { WebhookDeliveryService } from '../../src/webhooks/webhook-delivery.service';

interface Notice {
  eventType: string;
  recordType: string;
  recordId: string;
  reference: string | null;
  payload: Record<string, unknown>;
}

const DECIDED = 'blacklist.entry_decided';
const BATCH = 'blacklist.entries_activated';

// KR asks KH to ban three suspects. KH's liaison decides each entry; until now KR heard nothing of it
// (it had to open its entries to learn that a ban was in force, refused, lifted or extended).
describe('The banning country’s decisions on an entry are told to the proposing country', () => {
  let t: TestApp;
  let tf: TaskForce;
  let krScreener: SignedIn;
  let hooks: Receiver;

  beforeAll(async () => {
    t = await createTestApp({}, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    tf = await taskForce(t);
    krScreener = await signIn(t.server, 'kr.screener');
    hooks = await receiver();
  });
  afterAll(async () => {
    await hooks?.close();
    await t?.close();
  });

  const inbox = async (who: SignedIn, eventType: string): Promise<Notice[]> =>
    ((await who.get('/notifications?limit=200').expect(200)).body.items as Notice[]).filter(
      (n) => n.eventType === eventType,
    );
  const about = (notices: Notice[], recordId: string) => notices.filter((n) => n.recordId === recordId);
  const entryOf = async (who: SignedIn, id: string) =>
    (await who.get(`/blacklist-entries/${id}`).expect(200)).body;

  it('activation, rejection, extension and lifting each reach KR’s liaisons and officers with the decision and its dates; KH, MY and KR’s other roles hear nothing', async () => {
    const { proposal } = await proposedAndAccepted(tf, threeSuspects(tf.cambodiaKoreaFramework));
    const [lee, park, choi] = (proposal.entries as Array<{ id: string }>).map((e) => e.id);
    const kh = tf['kh.liaison'];
    const activate = { legalBasis: 'Immigration Law art. 29', expiresOn: '2030-06-30' };
    await kh.post(`/blacklist-entries/${lee}/activate`, { version: 1, ...activate }).expect(200);
    await kh.post(`/blacklist-entries/${park}/activate`, { version: 1, ...activate }).expect(200);
    await kh
      .post(`/blacklist-entries/${choi}/reject`, { version: 1, reason: 'Not enough evidence' })
      .expect(200);
    await kh
      .post(`/blacklist-entries/${lee}/extend`, {
        version: 2,
        expiresOn: '2032-06-30',
        reason: 'Warrant renewed',
      })
      .expect(200);
    await kh.post(`/blacklist-entries/${park}/lift`, { version: 2, reason: 'Arrested in Korea' }).expect(200);

    for (const who of [tf['kr.liaison'], tf['kr.liaison2'], tf['kr.officer'], tf['kr.officer2']]) {
      const notices = await inbox(who, DECIDED);
      expect(notices.map((n) => `${n.recordId} ${n.payload.decision}`).sort()).toEqual(
        [
          `${lee} activated`,
          `${lee} extended`,
          `${park} activated`,
          `${park} lifted`,
          `${choi} rejected`,
        ].sort(),
      );
      for (const n of notices)
        expect(n).toMatchObject({ recordType: 'blacklist_entry', reference: proposal.reference });
    }

    // Each notice's payload holds fields of KR's view of the entry, with the values they had then.
    const notices = await inbox(tf['kr.liaison'], DECIDED);
    const [leeNow, parkNow, choiNow] = await Promise.all(
      [lee, park, choi].map((id) => entryOf(tf['kr.liaison'], id!)),
    );
    const named = (entry: { id: string }) => ({
      entryId: entry.id,
      proposalId: proposal.id,
      proposalReference: proposal.reference,
      proposingCountry: 'KR',
      banningCountry: 'KH',
    });
    const payload = (id: string, decision: string) =>
      about(notices, id).find((n) => n.payload.decision === decision)!.payload;
    expect(payload(lee!, 'extended')).toEqual({
      ...named(leeNow),
      decision: 'extended',
      expiresOn: '2032-06-30',
      extendedFrom: '2030-06-30',
      extendedAt: leeNow.extendedAt,
    });
    expect(payload(lee!, 'activated')).toEqual({
      ...named(leeNow),
      decision: 'activated',
      expiresOn: '2030-06-30',
      decidedAt: leeNow.decidedAt,
    });
    expect(payload(park!, 'lifted')).toEqual({
      ...named(parkNow),
      decision: 'lifted',
      expiresOn: '2030-06-30',
      decidedAt: parkNow.decidedAt,
    });
    expect(payload(choi!, 'rejected')).toEqual({
      ...named(choiNow),
      decision: 'rejected',
      expiresOn: null,
      decidedAt: choiNow.decidedAt,
    });
    // The reasons and the legal basis stay in the entry's view.
    expect(JSON.stringify(notices)).not.toMatch(
      /Warrant renewed|Arrested in Korea|Not enough evidence|art\. 29/,
    );

    // KH decided: it is not told of its own decisions; MY has no part; KR's screener and auditor read no
    // decisions to act on.
    for (const who of [
      tf['kh.liaison'],
      tf['kh.liaison2'],
      tf['kh.officer'],
      tf['my.liaison'],
      tf['my.officer'],
    ])
      expect(await inbox(who, DECIDED)).toEqual([]);
    for (const who of [krScreener, tf['kr.auditor']]) expect(await inbox(who, DECIDED)).toEqual([]);
    expect(
      await t.dataSource.query(
        `SELECT DISTINCT country_code, roles FROM notification WHERE event_type = $1 AND record_id = ANY($2)`,
        [DECIDED, [lee, park, choi]],
      ),
    ).toEqual([{ country_code: 'KR', roles: ['liaison', 'officer'] }]);
  });

  it('a batch activation tells KR once per proposal, naming its entries, not once per entry', async () => {
    const first = (await proposedAndAccepted(tf, threeSuspects(tf.cambodiaKoreaFramework))).proposal;
    const second = (await proposedAndAccepted(tf, threeSuspects(tf.cambodiaKoreaFramework))).proposal;
    const ids = (p: { entries: Array<{ id: string }> }) => p.entries.map((e) => e.id);
    const batch = [...ids(first).slice(0, 2), ...ids(second)];
    await tf['kh.liaison']
      .post('/blacklist-entries/activate', {
        entries: batch.map((id) => ({ id, version: 1 })),
        legalBasis: 'Immigration Law art. 29',
        expiresOn: '2031-12-31',
      })
      .expect(200);

    const notices = await inbox(tf['kr.officer'], BATCH);
    const told = [...about(notices, first.id), ...about(notices, second.id)];
    expect(told).toHaveLength(2);
    for (const [proposal, entryIds] of [
      [first, ids(first).slice(0, 2)],
      [second, ids(second)],
    ] as const) {
      // When the proposal's first entry of the batch was activated, as KR's view of it says.
      const { decidedAt } = await entryOf(tf['kr.liaison'], entryIds[0]!);
      expect(about(told, proposal.id)).toEqual([
        expect.objectContaining({
          recordType: 'request',
          reference: proposal.reference,
          payload: {
            proposalId: proposal.id,
            proposalReference: proposal.reference,
            proposingCountry: 'KR',
            banningCountry: 'KH',
            decision: 'activated',
            entryIds,
            expiresOn: '2031-12-31',
            decidedAt,
          },
        }),
      ]);
    }
    // No notice per entry beside them; KH and MY hear nothing.
    expect((await inbox(tf['kr.officer'], DECIDED)).filter((n) => batch.includes(n.recordId))).toEqual([]);
    for (const who of [tf['kh.liaison'], tf['my.liaison']]) expect(await inbox(who, BATCH)).toEqual([]);
  });

  it('a KR webhook subscribed to the decisions is delivered them (what happened to which entry); an MY one is not', async () => {
    const kr = await integrationAccount(t, 'kr.hooks.decisions', ['liaison']);
    const my = await integrationAccount(t, 'my.hooks.decisions', ['liaison']);
    hooks.answer.kr = 204;
    hooks.answer.my = 204;
    const krSub = await subscribe(kr.as, hooks.url('kr'), [DECIDED]);
    const mySub = await subscribe(my.as, hooks.url('my'), [DECIDED]);
    const { proposal } = await proposedAndAccepted(tf, threeSuspects(tf.cambodiaKoreaFramework));
    const entryId = proposal.entries[0].id as string;
    await tf['kh.liaison']
      .post(`/blacklist-entries/${entryId}/reject`, { version: 1, reason: 'Not enough evidence' })
      .expect(200);

    expect(await deliveryAbout(t, mySub, entryId)).toBeUndefined();
    const delivery = await deliveryAbout(t, krSub, entryId);
    expect(delivery).toMatchObject({ status: 'pending' });
    await t.app.get(WebhookDeliveryService).attempt(delivery!.id);
    const [hit, ...more] = hooks.about(entryId);
    expect(more).toEqual([]);
    expect(hit!.hook).toBe('kr');
    const body = JSON.parse(hit!.body);
    expect(body).toMatchObject({
      type: DECIDED,
      recordType: 'blacklist_entry',
      recordId: entryId,
      reference: proposal.reference,
    });
    expect(Object.keys(body).sort()).toEqual([
      'createdAt',
      'id',
      'recordId',
      'recordType',
      'reference',
      'type',
    ]);
  });

  it('a decision that fails tells nobody: a refused extension writes no notice', async () => {
    const { proposal } = await proposedAndAccepted(tf, threeSuspects(tf.cambodiaKoreaFramework));
    const entryId = proposal.entries[0].id as string;
    await tf['kh.liaison']
      .post(`/blacklist-entries/${entryId}/activate`, {
        version: 1,
        legalBasis: 'Immigration Law art. 29',
        expiresOn: '2030-06-30',
      })
      .expect(200);
    await tf['kh.liaison']
      .post(`/blacklist-entries/${entryId}/extend`, { version: 1, expiresOn: '2031-06-30', reason: 'Stale' })
      .expect(409);
    await tf['kh.liaison']
      .post(`/blacklist-entries/${entryId}/extend`, {
        version: 2,
        expiresOn: '2030-01-01',
        reason: 'Earlier',
      })
      .expect(400);
    expect(about(await inbox(tf['kr.liaison'], DECIDED), entryId).map((n) => n.payload.decision)).toEqual([
      'activated',
    ]);
  });
});
