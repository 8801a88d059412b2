import { BlacklistAmendmentsService } from '../../src/blacklist/blacklist-amendments.service';
import { NOTIFICATION_EVENTS } from '../../src/common/notification-events';
import { integrationAccount, receiver, Receiver, subscribe } from '../probe-r32/r32-support';
import { signIn, type SignedIn } from '../support/http';
import { aDraft } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r52, part B (probe r50's "not tried"): a dispatch through the multilateral body to KH and MY
 * with `recipientsVisible: false`, seen through each hidden recipient's own integration accounts
 * (webhooks subscribed to every event, an account holding every country role), and a person KR proposed
 * to both, banned by both, then edited by KR (the amendments job). MY's deliveries, amendment notices,
 * amendments and audit trail name MY's thread and entry only, never KH's (and the other way round).
 * Guards: they pass on main; each has its control (the country's own thread or entry is delivered).
 */
describe('Probe r52: a hidden recipient’s webhooks and amendments name nothing of the other recipient', () => {
  let t: TestApp;
  let hooks: Receiver;
  const as: Record<string, SignedIn> = {};
  const subs: Record<string, string> = {};
  let body: string;
  const act = (who: string, path: string, id: string, action: string, version: number, extra: object = {}) =>
    as[who]!.post(`${path}/${id}/${action}`, { version, ...extra }).expect(200);

  beforeAll(async () => {
    t = await createTestApp({}, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' }, 'demo');
    hooks = await receiver();
    for (const name of ['kr.officer', 'kr.liaison', 'kh.liaison', 'my.liaison', 'my.auditor', 'kh.auditor'])
      as[name] = await signIn(t.server, name);
    for (const country of ['kh', 'my']) {
      const account = await integrationAccount(t, `${country}.r52.hooks`, ['officer', 'liaison', 'auditor']);
      hooks.answer[country] = 204;
      subs[country] = await subscribe(account.as, hooks.url(country), [...NOTIFICATION_EVENTS]);
    }
    [{ id: body }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'International Investigative Body on Scam Compounds'`,
    );
  }, 90_000);
  afterAll(async () => {
    await hooks?.close();
    await t?.close();
  });

  /** What each queued delivery of `country`'s subscription is built from (the webhook body's fields). */
  const deliveredTo = async (country: string) =>
    (await t.dataSource.query(
      `SELECT n.event_type, n.record_type, n.record_id, n.reference, n.payload
         FROM webhook_delivery d JOIN notification n ON n.id = d.notification_id
        WHERE d.subscription_id = $1 ORDER BY d.created_at`,
      [subs[country]],
    )) as Array<{ event_type: string; record_id: string; reference: string | null; payload: unknown }>;

  it('an information request to KH and MY (hidden): each one’s deliveries name its own thread only', async () => {
    const base = '/information-requests';
    const draft = (
      await as['kr.officer']!.post(
        base,
        aDraft(body, {
          targetCountry: 'KH',
          alsoTo: ['MY'],
          recipientsVisible: false,
          handlingCode: 'GREEN',
        }),
      ).expect(201)
    ).body;
    const submitted = (await act('kr.officer', base, draft.id, 'submit', draft.version)).body;
    const sent = (await act('kr.liaison', base, draft.id, 'approve', submitted.version)).body;
    const thread = (c: string) => sent.recipients.find((r: { country: string }) => r.country === c);
    const [kh, my] = [thread('KH'), thread('MY')];
    // Both answer their own thread; KR messages each.
    for (const [who, th] of [
      ['kh.liaison', kh],
      ['my.liaison', my],
    ] as const) {
      const seen = (await as[who]!.get(`${base}/${th.requestId}`).expect(200)).body;
      const accepted = (await act(who, base, th.requestId, 'accept', seen.version)).body;
      await as['kr.liaison']!.post(`${base}/${th.requestId}/messages`, {
        body: `To ${th.country} only.`,
      }).expect(201);
      if (who === 'kh.liaison')
        await act(who, base, th.requestId, 'fulfil', accepted.version, {
          findings: { summary: 'Nothing held.' },
        });
    }
    const toMy = await deliveredTo('my');
    const toKh = await deliveredTo('kh');
    // Controls: each was delivered its own thread's inbound notice.
    expect(toMy.some((d) => d.event_type === 'request.inbound' && d.record_id === my.requestId)).toBe(true);
    expect(toKh.some((d) => d.event_type === 'request.inbound' && d.record_id === kh.requestId)).toBe(true);
    expect(toMy.some((d) => d.event_type === 'request.message' && d.record_id === my.requestId)).toBe(true);
    for (const [deliveries, own, other] of [
      [toMy, my, kh],
      [toKh, kh, my],
    ] as const) {
      const text = JSON.stringify(deliveries);
      expect(text).not.toContain(other.requestId);
      expect(text).not.toContain(other.reference);
      // The dispatch's own id, where it is not this country's thread.
      if (draft.id !== own.requestId) expect(text).not.toContain(draft.id);
      for (const d of deliveries) expect(d.record_id).toBe(own.requestId);
    }
  });

  it('a person banned by KH and MY (hidden), edited by KR: each is told of its own entry’s amendment only', async () => {
    const proposal = (
      await as['kr.officer']!.post('/blacklist-entries/batch', {
        frameworkId: body,
        banningCountry: 'KH',
        alsoTo: ['MY'],
        recipientsVisible: false,
        handlingCode: 'GREEN',
        subject: 'Compound recruiter',
        entries: [
          {
            person: {
              names: [{ full: 'LEE Jaewon', script: 'latin', kind: 'primary' }],
              nationalities: ['KR'],
              documents: [{ type: 'passport', number: 'M52000001', issuingCountry: 'KR' }],
            },
            grounds: 'Recruits for the compound.',
            groundsSummary: 'Recruiter',
          },
        ],
      }).expect(201)
    ).body;
    const submitted = (
      await act('kr.officer', '/blacklist-proposals', proposal.id, 'submit', proposal.version)
    ).body;
    const sent = (await act('kr.liaison', '/blacklist-proposals', proposal.id, 'approve', submitted.version))
      .body;
    const thread = (c: string) => sent.recipients.find((r: { country: string }) => r.country === c);
    const entries: Record<string, string> = {};
    let personId = '';
    for (const [country, who, basis] of [
      ['KH', 'kh.liaison', 'Immigration Law art. 29'],
      ['MY', 'my.liaison', 'Immigration Act 1959/63 s. 9'],
    ] as const) {
      const th = thread(country);
      const view = (await as[who]!.get(`/blacklist-proposals/${th.requestId}`).expect(200)).body;
      await act(who, '/blacklist-proposals', th.requestId, 'accept', view.version);
      entries[country] = view.entries[0].id;
      personId = view.entries[0].personId;
      await as[who]!.post(`/blacklist-entries/${entries[country]}/activate`, {
        version: 1,
        legalBasis: basis,
        expiresOn: '2030-06-30',
      }).expect(200);
    }
    const before = { my: (await deliveredTo('my')).length, kh: (await deliveredTo('kh')).length };

    // KR, the person's owner, corrects the name; the job proposes an amendment per active entry.
    const person = (await as['kr.officer']!.get(`/persons/${personId}`).expect(200)).body;
    await as['kr.officer']!.patch(`/persons/${personId}`, {
      version: person.version,
      names: [{ full: 'LEE Jae-won', script: 'latin', kind: 'primary' }],
    }).expect(200);
    await t.app.get(BlacklistAmendmentsService).runPending();
    const amendments: Array<{ id: string; entry_id: string }> = await t.dataSource.query(
      `SELECT id, entry_id FROM blacklist_entry_amendment WHERE person_id = $1 AND status = 'pending'`,
      [personId],
    );
    const amendmentOf = (country: string) => amendments.find((a) => a.entry_id === entries[country])!.id;
    expect(amendments).toHaveLength(2);

    for (const [country, other, liaison, auditor] of [
      ['MY', 'KH', 'my.liaison', 'my.auditor'],
      ['KH', 'MY', 'kh.liaison', 'kh.auditor'],
    ] as const) {
      const key = country.toLowerCase() as 'my' | 'kh';
      const fresh = (await deliveredTo(key)).slice(before[key]);
      // Control: exactly this country's amendment notice was delivered, about its own entry.
      expect(fresh.map((d) => [d.event_type, d.record_id])).toEqual([
        ['blacklist.amendment_proposed', entries[country]],
      ]);
      expect((fresh[0]!.payload as { amendmentId: string }).amendmentId).toBe(amendmentOf(country));
      const secrets = [entries[other]!, amendmentOf(other), thread(other).requestId, thread(other).reference];
      const reads = {
        deliveries: JSON.stringify(await deliveredTo(key)),
        inbox: JSON.stringify((await as[liaison]!.get('/notifications?limit=200').expect(200)).body),
        ownAmendments: JSON.stringify(
          (await as[liaison]!.get(`/blacklist-entries/${entries[country]}/amendments`).expect(200)).body,
        ),
        trail: JSON.stringify((await as[auditor]!.get('/audit-events?limit=200').expect(200)).body),
        entries: JSON.stringify((await as[liaison]!.get('/blacklist-entries?limit=200').expect(200)).body),
      };
      expect(reads.ownAmendments).toContain(amendmentOf(country));
      expect(reads.trail).toContain(amendmentOf(country));
      for (const [where, text] of Object.entries(reads))
        for (const secret of secrets)
          expect({ where, leaks: text.includes(secret) }).toEqual({ where, leaks: false });
      // The other's entry's amendments answer as an entry that never existed.
      const theirs = await as[liaison]!.get(`/blacklist-entries/${entries[other]}/amendments`);
      const never = await as[liaison]!.get(
        `/blacklist-entries/00000000-0000-4000-8000-000000000000/amendments`,
      );
      expect([theirs.status, theirs.body.type]).toEqual([never.status, never.body.type]);
    }
  });
});
