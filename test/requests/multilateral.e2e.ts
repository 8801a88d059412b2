import { signIn, type SignedIn } from '../support/http';
import { threeSuspects } from '../support/blacklist-scenario';
import { aDraft } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { PLATFORM_ADMIN_USERNAME } from '../../src/seed/demo-data';

/**
 * Issue 20: the Korea-led multilateral body. Members join and leave on dates; one information request
 * goes to several members with one approval and becomes one thread per recipient; no recipient learns
 * of the others unless the origin lets it.
 */
describe('The multilateral body: one request to several members', () => {
  let t: TestApp;
  const as: Record<string, SignedIn> = {};
  let body: string;
  beforeAll(async () => {
    // The demo as `npm start` seeds it, with the multilateral body.
    t = await createTestApp({}, {}, 'demo');
    for (const name of [
      'kr.officer',
      'kr.liaison',
      'kh.liaison',
      'kh.officer',
      'my.liaison',
      'my.auditor',
      'th.liaison',
      PLATFORM_ADMIN_USERNAME,
    ])
      as[name] = await signIn(t.server, name);
    [{ id: body }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'International Investigative Body on Scam Compounds'`,
    );
  });
  afterAll(() => t?.close());

  const base = '/information-requests';
  const act = (who: string, id: string, action: string, version: number, extra: object = {}) =>
    as[who]!.post(`${base}/${id}/${action}`, { version, ...extra });
  const toThree = (overrides: object = {}) =>
    aDraft(body, {
      targetCountry: 'KH',
      alsoTo: ['MY', 'TH'],
      subject: 'Who runs the Golden Fortune compound payment desk?',
      ...overrides,
    });
  async function sentToThree(overrides: object = {}) {
    const draft = (await as['kr.officer']!.post(base, toThree(overrides)).expect(201)).body;
    const submitted = (await act('kr.officer', draft.id, 'submit', draft.version).expect(200)).body;
    return (await act('kr.liaison', draft.id, 'approve', submitted.version).expect(200)).body;
  }
  const threadTo = (view: { recipients: Array<{ country: string; requestId: string }> }, country: string) =>
    view.recipients.find((r) => r.country === country)!.requestId;

  it('lists the body with each member and the day it joined', async () => {
    const frameworks = (await as['kr.officer']!.get('/frameworks').expect(200)).body;
    const found = frameworks.find((f: { id: string }) => f.id === body);
    expect(found.members).toEqual(['ID', 'KH', 'KR', 'LA', 'MY', 'PH', 'TH', 'VN']);
    expect(found.memberships).toContainEqual({ country: 'MY', joinedOn: '2026-07-01', leftOn: null });
    expect(found.memberships).toContainEqual({ country: 'KR', joinedOn: '2026-03-01', leftOn: null });
  });

  it('one approval sends three threads; each recipient answers on its own; KR sees all three', async () => {
    const sent = await sentToThree();
    // One approval numbered three threads, one per country, each with its own due time.
    expect(sent.recipients.map((r: { country: string }) => r.country)).toEqual(['KH', 'MY', 'TH']);
    for (const r of sent.recipients) {
      expect(r.status).toBe('sent');
      expect(r.reference).toMatch(new RegExp(`^KR-${r.country}-INF-\\d{4}-\\d{6}$`));
    }
    const [kh, my, th] = ['KH', 'MY', 'TH'].map((c) => threadTo(sent, c));

    // KH answers, MY refuses, TH accepts and has not answered yet.
    const khThread = (await as['kh.liaison']!.get(`${base}/${kh}`).expect(200)).body;
    const accepted = (await act('kh.liaison', kh!, 'accept', khThread.version).expect(200)).body;
    await act('kh.liaison', kh!, 'fulfil', accepted.version, {
      findings: { summary: 'The desk is run by a Chinese national; phone registered to a nominee.' },
    }).expect(200);
    const myThread = (await as['my.liaison']!.get(`${base}/${my}`).expect(200)).body;
    await act('my.liaison', my!, 'reject', myThread.version, { reason: 'No record in Malaysia' }).expect(200);
    const thThread = (await as['th.liaison']!.get(`${base}/${th}`).expect(200)).body;
    await act('th.liaison', th!, 'accept', thThread.version).expect(200);

    const seenByKr = (await as['kr.officer']!.get(`${base}/${kh}`).expect(200)).body;
    expect(
      seenByKr.recipients.map((r: { country: string; status: string }) => [r.country, r.status]),
    ).toEqual([
      ['KH', 'fulfilled'],
      ['MY', 'rejected'],
      ['TH', 'accepted'],
    ]);
    const outbound = (await as['kr.officer']!.get(`${base}?direction=outbound&limit=200`).expect(200)).body;
    expect(outbound.items.filter((i: { id: string }) => [kh, my, th].includes(i.id))).toHaveLength(3);
    // KH's answer is on KH's thread only.
    expect(seenByKr.findings.summary).toMatch(/nominee/);
    expect((await as['kr.officer']!.get(`${base}/${th}`).expect(200)).body.findings).toBeNull();
  });

  it('MY cannot find that TH or KH was asked: not in its view, list, notifications or audit trail', async () => {
    const sent = await sentToThree();
    const [kh, my, th] = ['KH', 'MY', 'TH'].map((c) => threadTo(sent, c));
    const mine = (await as['my.liaison']!.get(`${base}/${my}`).expect(200)).body;
    expect(mine.recipients).toBeNull();
    expect(mine.targetCountry).toBe('MY');
    const inbound = (await as['my.liaison']!.get(`${base}?direction=inbound&limit=200`).expect(200)).body;
    const ids = inbound.items.map((i: { id: string }) => i.id);
    expect(ids).toContain(my);
    expect(ids).not.toContain(th);
    expect(ids).not.toContain(kh);

    const others = sent.recipients
      .filter((r: { country: string }) => r.country !== 'MY')
      .flatMap((r: { requestId: string; reference: string }) => [r.requestId, r.reference]);
    const inbox = JSON.stringify((await as['my.liaison']!.get('/notifications?limit=200').expect(200)).body);
    const audit = JSON.stringify((await as['my.auditor']!.get('/audit-events?limit=200').expect(200)).body);
    expect(inbox).toContain(my); // the notification of its own thread is there…
    for (const other of others) {
      expect(inbox).not.toContain(other); // …and nothing of the others'
      expect(audit).not.toContain(other);
    }
    expect(audit).toContain(my);
    // Its statistics count its own traffic with KR only.
    const stats = (await as['my.liaison']!.get('/stats').expect(200)).body;
    expect(new Set(stats.requests.map((r: { counterpartCountry: string }) => r.counterpartCountry))).toEqual(
      new Set(['KR']),
    );
    // Asked by id (as MY could only guess it), the other threads do not exist for MY.
    await as['my.liaison']!.get(`${base}/${th}`).expect(404);
    await as['my.liaison']!.get(`${base}/${kh}`).expect(404);
  });

  it('with the list made visible, a recipient sees who else was asked, and nothing of how it went', async () => {
    const sent = await sentToThree({ recipientsVisible: true });
    const mine = (await as['my.liaison']!.get(`${base}/${threadTo(sent, 'MY')}`).expect(200)).body;
    expect(mine.recipients).toEqual(
      ['KH', 'MY', 'TH'].map((country) => ({ country, requestId: null, reference: null, status: null })),
    );
  });

  it('until it is sent the origin acts on the request as one: returning and withdrawing move every thread', async () => {
    const statuses = (view: { recipients: Array<{ status: string }> }) =>
      new Set(view.recipients.map((r) => r.status));
    const draft = (await as['kr.officer']!.post(base, toThree()).expect(201)).body;
    expect(draft.recipients).toHaveLength(3);
    expect(statuses(draft)).toEqual(new Set(['draft']));
    const submitted = (await act('kr.officer', draft.id, 'submit', draft.version).expect(200)).body;
    expect(statuses(submitted)).toEqual(new Set(['submitted']));
    const returned = (await act('kr.liaison', draft.id, 'return', submitted.version).expect(200)).body;
    expect(statuses(returned)).toEqual(new Set(['draft']));
    const withdrawn = (await act('kr.officer', draft.id, 'withdraw', returned.version).expect(200)).body;
    expect(statuses(withdrawn)).toEqual(new Set(['withdrawn']));
  });

  it('a request may rely on the body only between current members: joining later or leaving ends it', async () => {
    const admin = as[PLATFORM_ADMIN_USERNAME]!;
    // TH leaves the body today: a new request to it is refused whole, nothing is drafted for KH or MY.
    const today = new Date().toISOString().slice(0, 10);
    const before = (await t.dataSource.query(`SELECT count(*)::int AS n FROM cross_border_request`))[0].n;
    const sent = await sentToThree();
    await admin.put(`/frameworks/${body}/members/TH`, { joinedOn: '2026-04-15', leftOn: today }).expect(200);
    try {
      const refused = await as['kr.officer']!.post(base, toThree()).expect(400);
      expect(JSON.stringify(refused.body)).toMatch(/TH/);
      expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM cross_border_request`))[0].n).toBe(
        before + 3,
      );
      // The thread sent to TH before it left can no longer be accepted: the framework no longer joins them.
      const th = threadTo(sent, 'TH');
      const thread = (await as['th.liaison']!.get(`${base}/${th}`)).body;
      expect(thread.allowedActions ?? []).not.toContain('accept');
    } finally {
      await admin.put(`/frameworks/${body}/members/TH`, { joinedOn: '2026-04-15' }).expect(200);
    }
    // A member joining later counts only from that day.
    await admin.put(`/frameworks/${body}/members/BN`, { joinedOn: '2099-01-01' }).expect(200);
    const notYet = await as['kr.officer']!.post(base, aDraft(body, { targetCountry: 'BN' })).expect(400);
    expect(notYet.body.errors[0].field).toBe('frameworkId');
    const audit = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'framework.membership' AND record_id = $1`,
      [body],
    );
    expect(audit[0].n).toBe(3);
  });

  it('a blacklist list goes to several members: one proposal each, the persons recorded once', async () => {
    const list = { ...threeSuspects(body), alsoTo: ['MY', 'TH'] };
    const proposal = (await as['kr.officer']!.post('/blacklist-entries/batch', list).expect(201)).body;
    expect(proposal.recipients.map((r: { country: string }) => r.country)).toEqual(['KH', 'MY', 'TH']);
    const submitted = (
      await as['kr.officer']!.post(`/blacklist-proposals/${proposal.id}/submit`, {
        version: proposal.version,
      })
    ).body;
    await as['kr.liaison']!.post(`/blacklist-proposals/${proposal.id}/approve`, {
      version: submitted.version,
    }).expect(200);
    const entriesOf = async (who: string) =>
      (await as[who]!.get('/blacklist-entries?side=banning&limit=200').expect(200)).body.items as Array<{
        personId: string;
        banningCountry: string;
      }>;
    const [khEntries, myEntries, thEntries] = await Promise.all(
      ['kh.liaison', 'my.liaison', 'th.liaison'].map(entriesOf),
    );
    for (const [entries, country] of [
      [khEntries, 'KH'],
      [myEntries, 'MY'],
      [thEntries, 'TH'],
    ] as const) {
      expect(entries).toHaveLength(3);
      expect(entries.every((e) => e.banningCountry === country)).toBe(true);
    }
    // The same three persons, each recorded once, reviewed by each country for itself.
    const persons = (entries: Array<{ personId: string }>) => entries.map((e) => e.personId).sort();
    expect(persons(myEntries)).toEqual(persons(khEntries));
    expect(persons(thEntries)).toEqual(persons(khEntries));
    // MY's proposal does not name the others.
    const myProposal = proposal.recipients.find((r: { country: string }) => r.country === 'MY').requestId;
    expect(
      (await as['my.liaison']!.get(`/blacklist-proposals/${myProposal}`).expect(200)).body.recipients,
    ).toBeNull();
  });

  it('refuses a recipient named twice and a malformed list with a 400 naming the field', async () => {
    const twice = await as['kr.officer']!.post(base, toThree({ alsoTo: ['KH'] })).expect(400);
    expect(twice.body.errors[0].field).toBe('alsoTo');
    const own = await as['kr.officer']!.post(base, toThree({ alsoTo: ['MY', 'KR'] })).expect(400);
    expect(own.body.errors).toEqual([
      { field: 'alsoTo', message: 'alsoTo must name other countries than your own' },
    ]);
    const malformed = await as['kr.officer']!.post(base, toThree({ alsoTo: ['my', 7] })).expect(400);
    expect(JSON.stringify(malformed.body)).toMatch(/alsoTo/);
  });
});
