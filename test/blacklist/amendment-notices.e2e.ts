import { BlacklistAmendmentsService } from '../../src/blacklist/blacklist-amendments.service';
import type { NotificationInput } from '../../src/common/notification-events';
import { NotificationsService } from '../../src/notifications/notifications.service';
import { WebhookDeliveryService } from '../../src/webhooks/webhook-delivery.service';
import { deliveryAbout, integrationAccount, receiver, Receiver, subscribe } from '../probe-r32/r32-support';
import { krEditsLimKosal, limKosal, limKosalBannedByMalaysia } from '../support/blacklist-scenario';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

// KR proposes LIM Kosal to Malaysia; MY bans him. KR later adds a new passport to its person record:
// MY's checkpoints screen the old identity until MY's liaison accepts the amendment, so MY's liaisons
// must hear of it without opening the entry.
const newPassport = {
  documents: [...limKosal.documents, { type: 'passport', number: 'P77310452', issuingCountry: 'KH' }],
};
const EVENT = 'blacklist.amendment_proposed';

interface Notice {
  eventType: string;
  recordType: string;
  recordId: string;
  reference: string | null;
  payload: Record<string, unknown>;
}

describe('An amendment proposed on an active entry is told to the banning country’s liaisons', () => {
  let t: TestApp;
  let tf: TaskForce;
  let myScreener: SignedIn;
  let hooks: Receiver;

  beforeAll(async () => {
    t = await createTestApp({}, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    tf = await taskForce(t);
    myScreener = await signIn(t.server, 'my.screener');
    hooks = await receiver();
  });
  afterAll(async () => {
    await hooks?.close();
    await t?.close();
  });
  afterEach(() => jest.restoreAllMocks());

  /** The job that proposes amendments once an owner's edit has committed. */
  const proposeAmendments = () => t.app.get(BlacklistAmendmentsService).runPending();
  // The amendment's notices only: KR is also told of MY's activation of the entry (`blacklist.entry_decided`).
  const inboxOf = async (who: SignedIn, entryId: string): Promise<Notice[]> =>
    ((await who.get('/notifications?limit=200').expect(200)).body.items as Notice[]).filter(
      (n) => n.recordId === entryId && n.eventType === EVENT,
    );
  const amendmentsOf = async (who: SignedIn, entryId: string) =>
    (await who.get(`/blacklist-entries/${entryId}/amendments`).expect(200)).body as Array<
      Record<string, unknown> & { id: string; status: string }
    >;

  it('KR’s edit tells MY’s liaisons, with no more than MY’s amendment view shows them; nobody else hears of it', async () => {
    const { personId, entry } = await limKosalBannedByMalaysia(t, tf);
    await krEditsLimKosal(tf, personId, newPassport);
    await proposeAmendments();

    const [pending] = await amendmentsOf(tf['my.liaison'], entry.id);
    expect(pending).toMatchObject({ status: 'pending', changedFields: ['documents'] });
    const [notice, ...more] = await inboxOf(tf['my.liaison'], entry.id);
    expect(more).toEqual([]);
    expect(notice).toMatchObject({
      eventType: EVENT,
      recordType: 'blacklist_entry',
      recordId: entry.id,
      reference: null,
      payload: {
        amendmentId: pending!.id,
        entryId: entry.id,
        proposingCountry: 'KR',
        banningCountry: 'MY',
        changedFields: ['documents'],
        proposedAt: pending!.proposedAt,
      },
    });
    // Each field of the payload is one of the amendment's view, with the same value; the new passport
    // number and the names it would screen against stay in that view.
    const { amendmentId, ...same } = notice!.payload;
    expect(amendmentId).toBe(pending!.id);
    for (const [field, value] of Object.entries(same))
      expect({ field, value }).toEqual({ field, value: pending![field] });
    expect(JSON.stringify(notice)).not.toMatch(/P77310452|N00451277|LIM Kosal/);

    // Addressed to those who decide (MY's liaisons): not MY's officers, screeners or auditors, not KR
    // (whose edit it was), not KH.
    for (const other of [
      tf['my.officer'],
      myScreener,
      tf['my.auditor'],
      tf['kr.officer'],
      tf['kr.liaison'],
      tf['kh.liaison'],
    ])
      expect(await inboxOf(other, entry.id)).toEqual([]);
    expect(
      await t.dataSource.query(
        `SELECT country_code, roles, user_id FROM notification WHERE record_id = $1 AND event_type = $2`,
        [entry.id, EVENT],
      ),
    ).toEqual([{ country_code: 'MY', roles: ['liaison'], user_id: null }]);
  });

  it('each proposal is told once: a change screening does not use tells nobody, a newer edit tells again', async () => {
    const { personId, entry } = await limKosalBannedByMalaysia(t, tf);
    await krEditsLimKosal(tf, personId, newPassport);
    await proposeAmendments();
    // A phone number: no amendment, no notice; running the job again tells nothing twice.
    await krEditsLimKosal(tf, personId, { ...newPassport, phones: ['+60123456789'] });
    await proposeAmendments();
    await proposeAmendments();
    expect(await inboxOf(tf['my.liaison'], entry.id)).toHaveLength(1);
    // A newer edit supersedes the pending amendment and is told with its own id.
    await krEditsLimKosal(tf, personId, { ...newPassport, birthDate: '1988-07-03' });
    await proposeAmendments();
    const [newer, older] = await amendmentsOf(tf['my.liaison'], entry.id);
    expect(older!.status).toBe('superseded');
    const notices = await inboxOf(tf['my.liaison'], entry.id);
    expect(notices.map((n) => n.payload.amendmentId).sort()).toEqual([newer!.id, older!.id].sort());
    expect(notices.find((n) => n.payload.amendmentId === newer!.id)!.payload.changedFields).toEqual([
      'birthDate',
      'documents',
    ]);
  });

  it('the notice is written in the amendment’s transaction: when it cannot be, nothing is proposed, and the edit is proposed on the next run', async () => {
    const { personId, entry } = await limKosalBannedByMalaysia(t, tf);
    await krEditsLimKosal(tf, personId, newPassport);
    const notifications = t.app.get(NotificationsService);
    const publish = notifications.publish.bind(notifications);
    jest.spyOn(notifications, 'publish').mockImplementation(async (n: NotificationInput) => {
      if (n.eventType === EVENT) throw new Error('outbox unavailable');
      return publish(n);
    });
    await expect(proposeAmendments()).rejects.toThrow('outbox unavailable');
    expect(await amendmentsOf(tf['my.liaison'], entry.id)).toEqual([]);
    expect(
      await t.dataSource.query(
        // Less MY's consultation of the (empty) list just above, which is a read, not a proposal.
        `SELECT action FROM audit_event WHERE record_id = $1::text AND action LIKE 'blacklist.entry.amendment.%'
            AND action <> 'blacklist.entry.amendment.list'`,
        [entry.id],
      ),
    ).toEqual([]);
    expect(await inboxOf(tf['my.liaison'], entry.id)).toEqual([]);

    jest.restoreAllMocks();
    // The failed run's taking of the person off the queue rolled back with it: the next run proposes.
    await proposeAmendments();
    const [pending] = await amendmentsOf(tf['my.liaison'], entry.id);
    expect(pending!.status).toBe('pending');
    expect((await inboxOf(tf['my.liaison'], entry.id)).map((n) => n.payload.amendmentId)).toEqual([
      pending!.id,
    ]);
  });

  it('a webhook of MY subscribed to it receives it (what happened to which entry, nothing more); KR’s does not', async () => {
    const my = await integrationAccount(t, 'my.hooks.liaison', ['liaison']);
    const kr = await integrationAccount(t, 'kr.hooks.liaison', ['liaison']);
    hooks.answer.my = 204;
    hooks.answer.kr = 204;
    const mySub = await subscribe(my.as, hooks.url('my'), [EVENT]);
    const krSub = await subscribe(kr.as, hooks.url('kr'), [EVENT]);
    const { personId, entry } = await limKosalBannedByMalaysia(t, tf);
    await krEditsLimKosal(tf, personId, newPassport);
    await proposeAmendments();

    const delivery = await deliveryAbout(t, mySub, entry.id);
    expect(delivery).toMatchObject({ status: 'pending' });
    expect(await deliveryAbout(t, krSub, entry.id)).toBeUndefined();
    await t.app.get(WebhookDeliveryService).attempt(delivery!.id);
    const [hit, ...more] = hooks.about(entry.id);
    expect(more).toEqual([]);
    expect(hit!.hook).toBe('my');
    const body = JSON.parse(hit!.body);
    expect(body).toMatchObject({
      type: EVENT,
      recordType: 'blacklist_entry',
      recordId: entry.id,
      reference: null,
    });
    expect(Object.keys(body).sort()).toEqual([
      'createdAt',
      'id',
      'recordId',
      'recordType',
      'reference',
      'type',
    ]);
    expect(await deliveryAbout(t, mySub, entry.id)).toMatchObject({ status: 'delivered' });
  });

  it('a subscription of an MY admin who may not read the blacklist is not delivered it', async () => {
    const sub = await subscribe(await signIn(t.server, 'my.admin'), hooks.url('my-admin'), [EVENT]);
    const { personId, entry } = await limKosalBannedByMalaysia(t, tf);
    await krEditsLimKosal(tf, personId, newPassport);
    await proposeAmendments();
    expect(await inboxOf(tf['my.liaison'], entry.id)).toHaveLength(1);
    expect(await deliveryAbout(t, sub, entry.id)).toBeUndefined();
  });
});
