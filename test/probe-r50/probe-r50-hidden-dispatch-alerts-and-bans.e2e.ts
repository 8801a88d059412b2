import { signIn, type SignedIn } from '../support/http';
import { aDraft } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r50 (probe r49's "not tried", leads 2 and 3): what a hidden recipient of a dispatch reads about
 * the numbers and persons it shares with another recipient.
 * - Correlation alerts and "seen in": MY and KH each have an open case holding phone Q; KR's GREEN
 *   information request to both (recipients hidden) names Q. Each country's lead officer is told of the
 *   request as that country reads it: MY's alert and MY's "seen in" name MY's thread, never KH's.
 * - A blacklist proposal to KH and MY (GREEN, recipients hidden), one person recorded once for both: KH
 *   accepts and bans, MY accepts. MY's liaison, officer and auditor read nothing of KH's proposal or
 *   entry through the entries list, the proposal, the person, "seen in", the inbox, statistics or the
 *   audit trail, and the person's view reads the same as before KH banned him.
 */
describe('Probe r50: alerts, seen-in and a shared person tell a hidden recipient nothing of the other', () => {
  let t: TestApp;
  const as: Record<string, SignedIn> = {};
  let body: string;
  const base = '/information-requests';
  const act = (who: string, path: string, id: string, action: string, version: number, extra: object = {}) =>
    as[who]!.post(`${path}/${id}/${action}`, { version, ...extra }).expect(200);

  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    for (const name of [
      'kr.officer',
      'kr.liaison',
      'kh.officer',
      'kh.liaison',
      'my.officer',
      'my.liaison',
      'my.auditor',
      'my.screener',
      'kh.screener',
    ])
      as[name] = await signIn(t.server, name);
    [{ id: body }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'International Investigative Body on Scam Compounds'`,
    );
  }, 90_000);
  afterAll(() => t?.close());

  const caseHolding = async (country: 'kh' | 'my', phone: string) => {
    const person = (
      await as[`${country}.officer`]!.post('/persons', {
        names: [{ full: `${country.toUpperCase()} Holder`, script: 'latin', kind: 'primary' }],
        nationalities: [country.toUpperCase()],
        phones: [phone],
      }).expect(201)
    ).body.id as string;
    const caseId = (
      await as[`${country}.officer`]!.post('/cases', {
        title: 'Payroll phones',
        persons: [{ personId: person, role: 'suspect' }],
      }).expect(201)
    ).body.id as string;
    return { person, caseId };
  };
  type Notice = { eventType: string; recordId: string; reference?: string; payload: Record<string, unknown> };
  const alertsOf = async (who: string) =>
    ((await as[who]!.get('/notifications?limit=200').expect(200)).body.items as Notice[]).filter(
      (n) => n.eventType === 'identifier.correlation',
    );

  it('each recipient’s correlation alert and seen-in name its own thread only', async () => {
    const phone = '+85577905011';
    const my = await caseHolding('my', phone);
    const kh = await caseHolding('kh', phone);
    const draft = (
      await as['kr.officer']!.post(
        base,
        aDraft(body, {
          targetCountry: 'KH',
          alsoTo: ['MY'],
          recipientsVisible: false,
          handlingCode: 'GREEN',
          identifiers: { phones: [phone] },
        }),
      ).expect(201)
    ).body;
    const submitted = (await act('kr.officer', base, draft.id, 'submit', draft.version)).body;
    const sent = (await act('kr.liaison', base, draft.id, 'approve', submitted.version)).body;
    const thread = (c: string) => sent.recipients.find((r: { country: string }) => r.country === c);
    const [khThread, myThread] = [thread('KH'), thread('MY')];

    const [myAlert, ...moreMy] = await alertsOf('my.officer');
    const [khAlert] = await alertsOf('kh.officer');
    // The alerts are real: each country's lead is told, each of its own thread.
    expect(moreMy).toEqual([]);
    expect(myAlert!.recordId).toBe(myThread.requestId);
    expect((myAlert!.payload.record as { reference: string }).reference).toBe(myThread.reference);
    expect(khAlert!.recordId).toBe(khThread.requestId);
    const myInbox = JSON.stringify(
      (await as['my.officer']!.get('/notifications?limit=200').expect(200)).body,
    );
    expect(myInbox).not.toContain(khThread.requestId);
    expect(myInbox).not.toContain(khThread.reference);

    // KH answers its thread naming the phone again; MY is told nothing more.
    const seen = (await as['kh.liaison']!.get(`${base}/${khThread.requestId}`).expect(200)).body;
    const accepted = (await act('kh.liaison', base, khThread.requestId, 'accept', seen.version)).body;
    await act('kh.liaison', base, khThread.requestId, 'fulfil', accepted.version, {
      findings: { summary: 'Payroll phone.', identifiers: { phones: [phone] } },
    });
    expect((await alertsOf('my.officer')).map((n) => n.recordId)).toEqual([myThread.requestId]);

    const seenIn = (
      await as['my.officer']!.get(
        `/identifiers/seen-in?kind=phone&value=${encodeURIComponent(phone)}`,
      ).expect(200)
    ).body.items as Array<{ recordType: string; recordId: string }>;
    expect(seenIn.map((i) => i.recordId).sort()).toEqual([my.person, myThread.requestId].sort());
    expect(kh.caseId).not.toBe(my.caseId);
  });

  it('a person proposed to KH and MY, banned by KH: MY reads nothing of KH’s proposal or entry', async () => {
    const passport = 'M50000011';
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
              names: [{ full: 'KIM Seonho', script: 'latin', kind: 'primary' }],
              nationalities: ['KR'],
              documents: [{ type: 'passport', number: passport, issuingCountry: 'KR' }],
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
    const [khThread, myThread] = [thread('KH'), thread('MY')];
    const myView = (await as['my.liaison']!.get(`/blacklist-proposals/${myThread.requestId}`).expect(200))
      .body;
    const personId = myView.entries[0].personId as string;
    const person = async () =>
      (await as['my.officer']!.get(`/persons/${personId}`).expect(200)).body as Record<string, unknown>;
    const before = await person();

    const khView = (await as['kh.liaison']!.get(`/blacklist-proposals/${khThread.requestId}`).expect(200))
      .body;
    await act('kh.liaison', '/blacklist-proposals', khThread.requestId, 'accept', khView.version);
    const khEntry = khView.entries[0].id as string;
    await as['kh.liaison']!.post(`/blacklist-entries/${khEntry}/activate`, {
      version: 1,
      legalBasis: 'Immigration Law art. 29',
      expiresOn: '2030-06-30',
    }).expect(200);
    await act('my.liaison', '/blacklist-proposals', myThread.requestId, 'accept', myView.version);
    expect(khView.entries[0].personId).toBe(personId);

    const secrets: Record<string, string> = {
      'KH proposal id': khThread.requestId,
      'KH reference': khThread.reference,
      'KH entry id': khEntry,
      'KH legal basis': 'Immigration Law art. 29',
    };
    const reads: Record<string, () => Promise<{ status: number; text: string; body: { items?: unknown } }>> =
      {
        'my.liaison entries': () => as['my.liaison']!.get('/blacklist-entries?limit=200'),
        'my.liaison proposals': () => as['my.liaison']!.get('/blacklist-proposals?limit=200'),
        'my.liaison proposal': () => as['my.liaison']!.get(`/blacklist-proposals/${myThread.requestId}`),
        'my.liaison history': () =>
          as['my.liaison']!.get(`/blacklist-proposals/${myThread.requestId}/history`),
        'my.liaison inbox': () => as['my.liaison']!.get('/notifications?limit=200'),
        'my.liaison stats': () => as['my.liaison']!.get('/stats'),
        'my.officer person': () => as['my.officer']!.get(`/persons/${personId}`),
        'my.officer persons': () => as['my.officer']!.get('/persons?limit=200'),
        'my.officer seen-in': () =>
          as['my.officer']!.get(`/identifiers/seen-in?kind=passport&value=${passport}&issuingCountry=KR`),
        'my.auditor audit': () => as['my.auditor']!.get('/audit-events?limit=200'),
        'my.auditor person timeline': () =>
          as['my.auditor']!.get(`/audit-events?recordType=person&recordId=${personId}`),
      };
    const told: string[] = [];
    const statuses: Record<string, number> = {};
    for (const [read, run] of Object.entries(reads)) {
      const res = await run();
      statuses[read] = res.status;
      for (const [what, value] of Object.entries(secrets))
        if (res.text.toLowerCase().includes(value.toLowerCase())) told.push(`${read}: ${what}`);
    }
    expect(told).toEqual([]);
    expect(Object.entries(statuses).filter(([, s]) => s !== 200)).toEqual([]);
    // MY's checkpoint, whose entry is not decided, finds nothing; KH's finds its ban (the search is real).
    const traveller = { names: [{ full: 'KIM Seonho' }], nationality: 'KR', document: { number: passport } };
    const screened = async (who: string) =>
      (await as[who]!.post('/screenings', { checkpoint: 'GATE-R50', ...traveller }).expect(201)).body
        .candidates as Array<{ entry: { entryId: string } }>;
    expect(await screened('my.screener')).toEqual([]);
    expect((await screened('kh.screener')).map((c) => c.entry.entryId)).toEqual([khEntry]);
    // The secrets are real: KR reads them.
    const krReads = JSON.stringify(
      (await as['kr.liaison']!.get(`/blacklist-proposals/${khThread.requestId}`).expect(200)).body,
    );
    expect(krReads).toContain(khEntry);
    expect(krReads).toContain('Immigration Law art. 29');
    // The person reads as before KH banned him.
    expect(await person()).toEqual(before);
    // KH's entry answers MY as an id that never was.
    const sibling = await as['my.liaison']!.get(`/blacklist-entries/${khEntry}`);
    const never = await as['my.liaison']!.get('/blacklist-entries/00000000-0000-4000-8000-000000000000');
    expect([sibling.status, sibling.body.detail]).toEqual([never.status, never.body.detail]);
  });
});
