import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { TestApp } from '../support/test-app';
import { signIn } from '../support/http';
import { Clock } from '../../src/common/time/clock';
import { kindOf, SignedCaller, World } from '../security/security-support';
import {
  actingAs,
  answerNaming,
  askAsObserver,
  ReadingPlan,
  runJobs,
  ScreeningQuery,
  startDifferential,
  SuccessiveReadings,
} from '../probe-r27/r27-support';

/**
 * Probe r30: r27's differential oracle in the reverse direction, and with the app's clock moved. KR,
 * the hub (the most partners, the multilateral body's lead), does what must stay invisible to KH, MY
 * and TH: drafts of every request kind (a multilateral dispatch among them) submitted, returned and
 * withdrawn; a case, a person and an arrest never shared, with a file and custody steps; screenings at
 * its checkpoints, one matching the ban KH proposed; its own accounts; work on KH's person it received.
 * Every caller of KH, MY and TH reads every GET route before and after. Then the clock moves past every
 * due time, "due soon" window, ban expiry and re-screening window, every background job runs at each
 * moved time, and the observers read again at the moved time: a job that fires on KR's hidden records
 * must change nothing they read either.
 */
describe('Probe r30: the hub’s hidden activity changes nothing a partner reads, now or later', () => {
  let t: TestApp;
  let queryNames: Map<string, Set<string>>;
  let callers: SignedCaller[];
  let world: World;
  let plan: ReadingPlan;
  const { who, ok, step } = actingAs(() => callers);
  let multilateral: string;
  let krKh: string;
  let krMy: string;

  beforeAll(async () => {
    ({ t, queryNames, callers, world, multilateral, plan } = await startDifferential(['KH', 'MY', 'TH'], {
      // r27's filters aim at KH's records; these aim at KR's.
      filters: {
        '/api/v1/persons': ['name=KH%20Holder', 'name=LEE%20Hidden', 'nationality=KH'],
        '/api/v1/arrests': ['nationality=KH', 'arrestingCountry=KR'],
        '/api/v1/cases': ['q=KR'],
        '/api/v1/information-requests': ['counterpartCountry=KR', 'q=KR', 'status=sent', 'status=accepted'],
      },
    }));
    krKh = world.context.KR.frameworkId;
    krMy = world.context.MY.frameworkId;
    await sharedWorld();
    plan.auditFrom = new Date().toISOString();
  }, 240_000);
  afterAll(async () => {
    jest.restoreAllMocks();
    await t?.close();
  });

  /** Each observer's latest answer on each route (real clock, and per moved time). */
  const readings = new SuccessiveReadings(
    () => plan,
    () => queryNames,
  );
  const compareReading = (label: string, observers?: string[]) => readings.compare(label, observers);
  /** Runs the jobs at the real time, then reads. */
  async function readAgain(observers?: string[]): Promise<string[]> {
    await runJobs(t);
    return compareReading('now', observers);
  }

  /**
   * The moved times: 11 days on (a routine request's "due soon" mark, 75 % of 14 days), 20 days on
   * (every due time past, re-screening windows of past screenings moved on) and 400 days on (the default
   * statistics year moved past the world, sign-in addresses swept). The world's bans (to 2030-12-31)
   * stay active: expiring them before the hidden work would leave it nothing to match (the twin case at
   * the end covers expiry).
   */
  const start = Date.now();
  const MOVED = {
    dueSoon: new Date(start + 11 * 86400_000),
    overdue: new Date(start + 20 * 86400_000),
    yearOn: new Date(start + 400 * 86400_000),
  };
  /**
   * Every job runs at each moved time in turn, then the observers (signed in afresh: a session ends
   * 12 hours after sign-in by the app's clock) read at the first and last moved time. The same sequence
   * before and after the work compared, so what the jobs do to the records shared all along is in both.
   */
  /**
   * A session per observer and moved time, signed in at its first reading and used again at that time's
   * later readings: the clock is then mocked to the same instant, so the session is as fresh as a new
   * one (a reading with a 401 still fails). Signing in afresh each time was an argon2 check per read set.
   */
  const movedSessions = new Map<string, Promise<SignedCaller['http']>>();
  const signedInAt = (label: string, username: string) => {
    const key = `${label} ${username}`;
    if (!movedSessions.has(key)) movedSessions.set(key, signIn(t.server, username));
    return movedSessions.get(key)!;
  };
  async function readLater(observers?: string[]): Promise<string[]> {
    const clock = t.app.get(Clock);
    const changed: string[] = [];
    const signed = plan.observers;
    try {
      for (const at of Object.values(MOVED)) {
        jest.spyOn(clock, 'now').mockReturnValue(at);
        await runJobs(t);
      }
      for (const [label, at] of [
        ['11 days on', MOVED.dueSoon],
        ['400 days on', MOVED.yearOn],
      ] as const) {
        jest.spyOn(clock, 'now').mockReturnValue(at);
        plan.observers = [];
        for (const c of signed)
          if (!observers || observers.includes(c.username))
            plan.observers.push({ ...c, http: await signedInAt(label, c.username) });
        changed.push(...(await compareReading(label)));
      }
    } finally {
      plan.observers = signed;
      jest.restoreAllMocks();
    }
    return changed;
  }
  const usernames = (test: (c: SignedCaller) => boolean) =>
    plan.observers.filter(test).map((c) => c.username);

  const SCREENED: ScreeningQuery[] = [
    { names: [{ full: 'PARK Min-ho' }], birthDate: '1979', nationality: 'KR' },
    { names: [{ full: 'HENG Shared' }], birthDate: '1988' },
    { names: [{ full: 'LEE Hidden' }] },
    { names: [{ full: 'KH Holder' }] },
    { names: [{ full: 'CHAN Hidden' }] },
  ];
  let askedBefore: Map<string, string>;

  it('reads the same in KH, MY and TH after KR works on records they were never given', async () => {
    askedBefore = await askAsObserver(plan.observers, SCREENED);
    expect(await readLater()).toEqual([]); // the first reading at the moved times: nothing to compare
    expect(await readAgain()).toEqual([]);
    await hiddenWorkOfKr();
    const changed = await readAgain();
    console.log(`r30: ${readings.reads} reads so far`);
    expect(changed).toEqual([]);
  }, 600_000);

  it('reads the same in KH, MY and TH once the clock has moved past every due time and expiry', async () => {
    const changed = await readLater();
    console.log(`r30: ${readings.reads} reads so far`);
    expect(changed).toEqual([]);
  }, 600_000);

  it('reads the same in KH and TH after KR works with MY (a RED request, hit/no-hit checks), now and later', async () => {
    await krWorksWithMalaysia();
    const observers = usernames((c) => c.country !== 'MY');
    expect(await readAgain(observers)).toEqual([]);
    expect(await readLater(observers)).toEqual([]);
  }, 600_000);

  it('reads the same in KH after a multilateral dispatch to MY and TH, with recipients not shown', async () => {
    const draft = ok(
      await who('kr.officer').post('/information-requests', {
        frameworkId: multilateral,
        targetCountry: 'MY',
        alsoTo: ['TH'],
        priority: 'urgent',
        handlingCode: 'AMBER',
        subject: 'KR asks MY and TH, not KH',
        questions: ['Who holds +85512777002?'],
      }),
      'dispatch',
    );
    await step('kr.officer', '/information-requests', draft.id, 'submit');
    await step('kr.liaison', '/information-requests', draft.id, 'approve');
    const observers = usernames((c) => c.country === 'KH');
    expect(await readAgain(observers)).toEqual([]);
    expect(await readLater(observers)).toEqual([]);
    // TH's officer did read it: the control below compares TH's officer from here.
    expect((await readAgain(['th.officer'])).length).toBeGreaterThan(0);
    await readLater(['th.officer']);
  }, 600_000);

  it('does show KH (and only KH) a request KR sends it: the reading tells a change when there is one', async () => {
    const before = await krLastReferenceTo('KH');
    const sent = await krSends('KH', 'AMBER', 'A request KH is meant to read');
    const kase = ok(await who('kr.officer').post('/cases', { title: 'KR case KH is meant to read' }), 'case');
    ok(await who('kr.liaison').post(`/cases/${kase.id}/shares`, { countryCode: 'KH' }), 'share');
    const changed = await readAgain(['kh.officer', 'th.officer']);
    expect(changed.filter((d) => d.includes(' th.officer '))).toEqual([]);
    expect(
      changed.filter((d) => /GET \/api\/v1\/(stats|information-requests)\b/.test(d)).length,
    ).toBeGreaterThan(2);
    // The readings at the moved times tell the change too.
    const later = await readLater(['kh.officer', 'th.officer']);
    expect(later.filter((d) => d.includes(' th.officer '))).toEqual([]);
    expect(later.filter((d) => d.includes(' kh.officer ')).length).toBeGreaterThan(0);
    // The pair's reference series counts what KR sent KH: none of its drafts, withdrawn or not.
    expect(sent.reference).toBe(nextReference(before));
  }, 600_000);

  it('answers KH, MY and TH screenings and chain checks as before KR’s hidden work', async () => {
    const asked = await askAsObserver(plan.observers, SCREENED);
    const changed = [...asked].filter(([key, answer]) => askedBefore.get(key) !== answer);
    expect(changed.map(([key, answer]) => `${key}: ${askedBefore.get(key)} → ${answer}`)).toEqual([]);
    // KH's screener still finds PARK Min-ho, whom KH banned at KR's proposal (to 2030-12-31).
    expect(asked.get('kh.screener screens PARK Min-ho')).toContain('PARK');
  }, 120_000);

  it('answers KH, on every route naming a record, for KR’s hidden records exactly as for ids that never existed', async () => {
    const hidden = world.records.filter(
      (r) => r.owner === 'KR' && !r.visibleTo.includes('KH') && r.kind !== 'identifier-check',
    );
    const named = plan.routes.filter((r) => r.method === 'GET' && kindOf(r.path));
    const differing: string[] = [];
    let compared = 0;
    for (const caller of plan.observers.filter((c) => c.country === 'KH'))
      for (const route of named)
        for (const record of hidden.filter((r) => r.kind === kindOf(route.path)).slice(0, 2)) {
          const never = randomUUID();
          const url = (id: string) =>
            route.path
              .replace('{id}', id)
              .replace('{countryCode}', 'MY')
              .replace(/\{[A-Za-z]+\}/g, '00000000-0000-4000-8000-000000000030');
          const [seen, unseen] = [
            await answerNaming(plan, caller, url(record.id), record.id),
            await answerNaming(plan, caller, url(never), never),
          ];
          compared++;
          if (seen !== unseen)
            differing.push(`${caller.username} ${route.key} (${record.kind}): ${seen} ≠ ${unseen}`);
        }
    expect(compared).toBeGreaterThan(100);
    expect(differing).toEqual([]);
  }, 120_000);

  it('tells KH nothing of KR’s screenings matching one of two twin bans, through re-screening and expiry', async () => {
    // KH proposes two travellers to KR, one proposal each; KR accepts both.
    const twin = async (name: string) => {
      const proposal = ok(
        await who('kh.officer').post('/blacklist-entries/batch', {
          frameworkId: krKh,
          banningCountry: 'KR',
          entries: [
            {
              person: {
                names: [{ full: name, script: 'latin', kind: 'primary' }],
                birthDate: '1990',
                nationalities: ['KH'],
              },
              grounds: 'Recruiter.',
              groundsSummary: 'Recruiter',
            },
          ],
        }),
        'twin proposal',
      );
      await step('kh.officer', '/blacklist-proposals', proposal.id, 'submit');
      await step('kh.liaison', '/blacklist-proposals', proposal.id, 'approve');
      await step('kr.liaison', '/blacklist-proposals', proposal.id, 'accept');
      const [{ id }]: { id: string }[] = await t.dataSource.query(
        `SELECT id FROM blacklist_entry WHERE proposal_id = $1`,
        [proposal.id],
      );
      return { proposal: proposal.id, entry: id, name };
    };
    const a = await twin('SOK Twin-A');
    const b = await twin('SOK Twin-B');
    const screen = (full: string) =>
      who('kr.screener').post('/screenings', {
        names: [{ full }],
        birthDate: '1990',
        nationality: 'KH',
        checkpoint: 'Incheon International Airport',
      });
    // KR's checkpoint lets A through before any ban is active: re-screening finds it once A is.
    ok(await screen(a.name), 'screening before the ban');
    const expiresOn = new Date(start + 15 * 86400_000).toISOString().slice(0, 10);
    for (const { entry } of [a, b])
      await step('kr.liaison', '/blacklist-entries', entry, 'activate', {
        legalBasis: 'Immigration Act s. 12',
        expiresOn,
      });
    await runJobs(t);
    const rescreened: { n: number }[] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM screening_candidate WHERE entry_id = $1 AND found_by = 'rescreen'`,
      [a.entry],
    );
    expect(rescreened[0].n).toBe(1);
    let pending = { screening: '', candidate: '' };
    // Two more screenings of A at KR's checkpoint: one candidate cleared, one left for the desk.
    for (const decide of [true, false]) {
      const screening = ok(await screen(a.name), 'screening of A') as unknown as {
        id: string;
        candidates: { id: string; entry: { entryId: string } }[];
      };
      const candidate = screening.candidates.find((c) => c.entry.entryId === a.entry)!;
      expect(candidate).toBeDefined();
      if (decide)
        ok(
          await who('kr.screener').post(`/screenings/${screening.id}/candidates/${candidate.id}/decision`, {
            decision: 'cleared',
            reason: 'Another man',
          }),
          'cleared',
          200,
        );
      else pending = { screening: screening.id, candidate: candidate.id };
    }
    // Both expire: every job at 20 days on.
    const clock = t.app.get(Clock);
    try {
      jest.spyOn(clock, 'now').mockReturnValue(MOVED.overdue);
      await runJobs(t);
    } finally {
      jest.restoreAllMocks();
    }
    await runJobs(t);
    // The moved clock did expire them: KH's auditor reads the expiry of both (both read, so that its
    // own reads name each twin alike).
    for (const { entry } of [a, b]) {
      const timeline = await who('kh.auditor').get(
        `/audit-events/timeline?recordType=blacklist_entry&recordId=${entry}&limit=200`,
      );
      expect(JSON.stringify(timeline.body)).toContain('blacklist.entry.expired');
    }
    // What each KH caller reads of A equals what it reads of B, twin for twin.
    const same = (text: string, of: typeof a) =>
      text
        .split(of.entry)
        .join('<entry>')
        .split(of.proposal)
        .join('<proposal>')
        .replace(new RegExp(`draft-${of.proposal.slice(0, 8)}`, 'gi'), '<draft>')
        // An audit event's opaque name and seal are its own.
        .replace(/evt_[A-Za-z0-9_-]+/g, '<event>')
        .replace(/"hash":"[0-9a-f]{64}"/g, '"hash":"<hash>"')
        // Whether the sealer reached KH's own latest reads (the consultations of A, then of B) yet is
        // timing, not data: an own event sealed or not yet sealed reads alike.
        .replace(/"seal":(null|\{"hash":"<hash>","salt":null\})/g, '"seal":"<own>"')
        .split(of.name.toLowerCase())
        .join('<name>')
        .replace(/\d{4}-\d{2}-\d{2}t\d{2}:\d{2}:\d{2}(\.\d+)?z/gi, '<time>')
        .replace(/kh-kr-[a-z]+-\d{4}-\d+/gi, '<reference>')
        // The twins' persons (and anything else created for one of them) have ids of their own.
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>');
    const twinRoutes = plan.routes.filter(
      (r) => r.method === 'GET' && ['blacklist-entry', 'blacklist-proposal'].includes(kindOf(r.path) ?? ''),
    );
    let compared = 0;
    const twinDifferences = async () => {
      const differing: string[] = [];
      for (const caller of plan.observers.filter((c) => c.country === 'KH')) {
        const urls = (of: typeof a) => [
          ...twinRoutes.map((r) =>
            r.path
              .replace('{id}', kindOf(r.path) === 'blacklist-entry' ? of.entry : of.proposal)
              .replace(/\{[A-Za-z]+\}/g, '00000000-0000-4000-8000-000000000030'),
          ),
          `/api/v1/audit-events/timeline?recordType=blacklist_entry&recordId=${of.entry}&limit=200`,
          `/api/v1/audit-events/timeline?recordType=request&recordId=${of.proposal}&limit=200`,
        ];
        const [ua, ub] = [urls(a), urls(b)];
        for (let i = 0; i < ua.length; i++) {
          const [ta, tb] = [
            same(await answerNaming(plan, caller, ua[i], a.entry), a),
            same(await answerNaming(plan, caller, ub[i], b.entry), b),
          ];
          compared++;
          if (ta !== tb) differing.push(`${caller.username} ${ua[i]}: ${ta} ≠ ${tb}`);
        }
        // Notifications and the entry lists name A no more often than B.
        for (const list of [
          '/notifications?limit=200',
          '/blacklist-entries?limit=200',
          '/audit-events?limit=200',
        ]) {
          const body = JSON.stringify((await caller.http.get(list)).body);
          const [na, nb] = [a, b].map((of) => body.split(of.entry).length);
          compared++;
          if (na !== nb) differing.push(`${caller.username} ${list}: A named ${na - 1} times, B ${nb - 1}`);
        }
      }
      return differing;
    };
    expect(await twinDifferences()).toEqual([]);
    expect(compared).toBeGreaterThan(20);
    console.log(`r30: ${readings.reads} reads by the differential, ${compared} twin comparisons`);
    // The control: KR's screener confirms the candidate left for the desk, which by design alerts the
    // proposing country too (a confirmed hit). KH now reads A differently from B.
    ok(
      await who('kr.screener').post(
        `/screenings/${pending.screening}/candidates/${pending.candidate}/decision`,
        {
          decision: 'confirmed',
          reason: 'Same man, same passport',
        },
      ),
      'confirmed',
      200,
    );
    await runJobs(t);
    expect((await twinDifferences()).length).toBeGreaterThan(0);
  }, 300_000);

  /** The reference of the pair series that follows `reference` (`KR-KH-INF-2026-000002` → `…000003`). */
  const nextReference = (reference: string) =>
    reference.replace(/(\d+)$/, (n) => String(Number(n) + 1).padStart(n.length, '0'));

  async function krLastReferenceTo(country: string): Promise<string> {
    const items = ok(
      await who(`${country.toLowerCase()}.liaison`).get('/information-requests?direction=inbound'),
      'inbound',
      200,
    ) as unknown as { items: { reference: string }[] };
    const refs = items.items.map((r) => r.reference).filter((r) => /^KR-.*-INF-\d{4}-\d+$/.test(r ?? ''));
    return refs.sort().pop()!;
  }

  async function krSends(target: string, handlingCode: string, subject: string) {
    const draft = ok(
      await who('kr.officer').post('/information-requests', {
        frameworkId: target === 'KH' ? krKh : krMy,
        targetCountry: target,
        priority: 'routine',
        handlingCode,
        subject,
        questions: ['Who holds +85512777003?'],
      }),
      `draft to ${target}`,
    );
    await step('kr.officer', '/information-requests', draft.id, 'submit');
    return step('kr.liaison', '/information-requests', draft.id, 'approve');
  }

  /** KR's file, with the bytes of the one KH reads on the case KR shares with it. */
  const upload = async (url: string, name: string) =>
    ok(
      await request(t.server)
        .post(url)
        .set('Authorization', `Bearer ${who('kr.officer').tokens.accessToken}`)
        .set('Content-Type', 'application/octet-stream')
        .set('X-Filename', name)
        .send(Buffer.from('KR evidence KH reads\n')),
      `file ${name}`,
    );
  const visible = (kind: string, id: string, countries: string[]) =>
    plan.extraVisible.push({ kind, id, countries });
  const ids: Record<string, string> = {};

  /**
   * What KH, MY and TH legitimately read before KR's hidden work: records of their own holding the
   * phones, passport and account KR's hidden records will hold; a KH person KR received (a case KH
   * shared with it); a case KR shared with KH; a KR proposal KH banned and a KH proposal KR banned (both
   * to 2030-12-31); KH's request to KR, accepted.
   */
  async function sharedWorld() {
    for (const [country, phone] of [
      ['kh', '+85512777001'],
      ['my', '+85512777002'],
      ['th', '+85512777002'],
    ]) {
      const person = ok(
        await who(`${country}.officer`).post('/persons', {
          names: [{ full: `${country.toUpperCase()} Holder`, script: 'latin', kind: 'primary' }],
          phones: [phone],
          documents: [{ type: 'passport', number: 'N77700123', issuingCountry: 'KH' }],
        }),
        `${country} person`,
      );
      visible('person', person.id, [country.toUpperCase()]);
      const kase = ok(
        await who(`${country}.officer`).post('/cases', {
          title: `${country.toUpperCase()} case holding the phone`,
          persons: [{ personId: person.id, role: 'suspect' }],
        }),
        `${country} case`,
      );
      visible('case', kase.id, [country.toUpperCase()]);
      if (country === 'kh') {
        ids.khPerson = person.id;
        plan.personFilter = person.id;
        ok(await who('kh.liaison').post(`/cases/${kase.id}/shares`, { countryCode: 'KR' }), 'KH share');
      }
    }
    const krPerson = ok(
      await who('kr.officer').post('/persons', {
        names: [{ full: 'LEE Shared', script: 'latin', kind: 'primary' }],
        birthDate: '1985',
        nationalities: ['KR'],
      }),
      'KR shared person',
    );
    const krCase = ok(
      await who('kr.officer').post('/cases', {
        title: 'KR case shared with KH',
        persons: [{ personId: krPerson.id, role: 'suspect' }],
      }),
      'KR shared case',
    );
    ids.krSharedCase = krCase.id;
    const file = await upload(`/api/v1/cases/${krCase.id}/attachments`, 'kr-shared.txt');
    visible('attachment', file.id, ['KH']);
    ok(await who('kr.liaison').post(`/cases/${krCase.id}/shares`, { countryCode: 'KH' }), 'KR share');
    visible('case', krCase.id, ['KH']);
    visible('person', krPerson.id, ['KH']);

    const ban = async (from: string, to: string, entries: object[]) => {
      const proposal = ok(
        await who(`${from}.officer`).post('/blacklist-entries/batch', {
          frameworkId: krKh,
          banningCountry: to.toUpperCase(),
          entries,
        }),
        'proposal',
      );
      await step(`${from}.officer`, '/blacklist-proposals', proposal.id, 'submit');
      await step(`${from}.liaison`, '/blacklist-proposals', proposal.id, 'approve');
      await step(`${to}.liaison`, '/blacklist-proposals', proposal.id, 'accept');
      const entryIds: { id: string }[] = await t.dataSource.query(
        `SELECT id FROM blacklist_entry WHERE proposal_id = $1`,
        [proposal.id],
      );
      for (const { id } of entryIds) {
        await step(`${to}.liaison`, '/blacklist-entries', id, 'activate', {
          legalBasis: 'Immigration Act s. 12',
          expiresOn: '2030-12-31',
        });
        visible('blacklist-entry', id, ['KH']);
      }
      visible('blacklist-proposal', proposal.id, ['KH']);
      return entryIds.map((e) => e.id);
    };
    // KR proposes PARK Min-ho to KH, KH bans him; KH proposes HENG Shared to KR, KR bans him.
    [ids.parkEntry] = await ban('kr', 'kh', [
      {
        person: {
          names: [{ full: 'PARK Min-ho', family: 'Park', given: 'Min-ho', script: 'latin', kind: 'primary' }],
          birthDate: '1979',
          nationalities: ['KR'],
        },
        grounds: 'Money-laundering for the compound.',
        groundsSummary: 'Money launderer',
      },
    ]);
    const heng = ok(
      await who('kh.officer').post('/persons', {
        names: [{ full: 'HENG Shared', script: 'latin', kind: 'primary' }],
        birthDate: '1988',
        nationalities: ['KH'],
      }),
      'HENG',
    );
    const hengCase = ok(
      await who('kh.officer').post('/cases', {
        title: 'KH case of HENG shared with KR',
        persons: [{ personId: heng.id, role: 'suspect' }],
      }),
      'HENG case',
    );
    ok(await who('kh.liaison').post(`/cases/${hengCase.id}/shares`, { countryCode: 'KR' }), 'HENG share');
    ids.heng = heng.id;
    [ids.hengEntry] = await ban('kh', 'kr', [
      { personId: heng.id, grounds: 'Recruiter.', groundsSummary: 'Recruiter' },
    ]);

    // KH's request to KR, accepted by KR.
    const fromKh = world.records.find(
      (r) => r.kind === 'information-request' && r.owner === 'KH' && r.visibleTo.includes('KR'),
    )!;
    await step('kr.liaison', '/information-requests', fromKh.id, 'accept');
  }

  async function krWorksWithMalaysia() {
    const amber = await krSends('MY', 'AMBER', 'KR asks MY');
    await step('my.liaison', '/information-requests', amber.id, 'accept');
    const red = await krSends('MY', 'RED', 'KR asks MY under RED');
    await step('my.liaison', '/information-requests', red.id, 'accept');
    const kase = ok(await who('kr.officer').post('/cases', { title: 'KR case shared with MY' }), 'case');
    ok(await who('kr.liaison').post(`/cases/${kase.id}/shares`, { countryCode: 'MY' }), 'share');
    // Hit/no-hit checks KR runs with MY: a hit (MY's person holds the phone) and a no-hit.
    for (const value of ['+85512777002', '+85512999999'])
      ok(
        await who('kr.officer').post('/identifier-checks', {
          partners: ['MY'],
          identifiers: [{ kind: 'phone', value }],
        }),
        `identifier check ${value}`,
      );
  }

  async function hiddenWorkOfKr() {
    // 1. A draft to KH, submitted, returned, submitted again and withdrawn; a second left as it is.
    const draft = ok(
      await who('kr.officer').post('/information-requests', {
        frameworkId: krKh,
        targetCountry: 'KH',
        priority: 'urgent',
        handlingCode: 'AMBER',
        subject: 'KR draft never sent',
        questions: ['Who holds +85512777001?'],
        identifiers: { phones: ['+85512777001'] },
      }),
      'draft',
    );
    await step('kr.officer', '/information-requests', draft.id, 'submit');
    await step('kr.liaison', '/information-requests', draft.id, 'return');
    await step('kr.officer', '/information-requests', draft.id, 'submit');
    await step('kr.officer', '/information-requests', draft.id, 'withdraw');
    const draft2 = ok(
      await who('kr.officer').post('/information-requests', {
        frameworkId: krKh,
        targetCountry: 'KH',
        priority: 'immediate',
        handlingCode: 'GREEN',
        subject: 'KR second draft',
        questions: ['Anything on +85512777002?'],
      }),
      'draft 2',
    );
    // The bytes of the file KH reads on the case KR shares with it, on the draft.
    await upload(`/api/v1/information-requests/${draft2.id}/attachments`, 'kr-draft.txt');
    // A multilateral dispatch to KH, MY and TH: submitted, then withdrawn before approval.
    const dispatch = ok(
      await who('kr.officer').post('/information-requests', {
        frameworkId: multilateral,
        targetCountry: 'KH',
        alsoTo: ['MY', 'TH'],
        priority: 'immediate',
        handlingCode: 'AMBER',
        subject: 'KR dispatch never sent',
        questions: ['Who runs the compound at +85512777002?'],
      }),
      'dispatch draft',
    );
    await step('kr.officer', '/information-requests', dispatch.id, 'submit');
    await step('kr.officer', '/information-requests', dispatch.id, 'withdraw');
    // 2. A case never shared, with a person, edited, and a file on it.
    const person = ok(
      await who('kr.officer').post('/persons', {
        names: [{ full: 'LEE Hidden', script: 'latin', kind: 'primary' }],
        nationalities: ['KH'],
        phones: ['+85512777002'],
        documents: [{ type: 'passport', number: 'N77700123', issuingCountry: 'KH' }],
      }),
      'person',
    );
    const kase = ok(
      await who('kr.officer').post('/cases', {
        title: 'KR case never shared',
        persons: [{ personId: person.id, role: 'suspect' }],
      }),
      'case',
    );
    ok(
      await who('kr.officer').patch(`/cases/${kase.id}`, { version: kase.version, title: 'KR case renamed' }),
      'case edit',
      200,
    );
    ok(
      await request(t.server)
        .post(`/api/v1/cases/${kase.id}/attachments`)
        .set('Authorization', `Bearer ${who('kr.officer').tokens.accessToken}`)
        .set('Content-Type', 'application/octet-stream')
        .set('X-Filename', 'kr-hidden.txt')
        .send(Buffer.from('KR hidden evidence\n')),
      'file',
    );
    // 3. An arrest of a Cambodian, never shared, with custody steps; a repatriation draft to KH for it,
    //    submitted and returned.
    const arrest = ok(
      await who('kr.officer').post('/arrests', {
        arrestedAt: '2026-03-03T02:30:00Z',
        place: 'A hidden call centre in Incheon',
        grounds: 'Online fraud',
        arrestingAgency: 'KNPA',
        nationality: 'KH',
        caseId: kase.id,
        person: { names: [{ full: 'CHAN Hidden', script: 'latin', kind: 'primary' }] },
      }),
      'arrest',
    );
    const charged = ok(
      await who('kr.officer').post(`/arrests/${arrest.id}/custody`, {
        version: arrest.version,
        status: 'charged',
        reason: 'charged',
      }),
      'custody',
      200,
    );
    ok(
      await who('kr.officer').post(`/arrests/${arrest.id}/custody`, {
        version: charged.version,
        status: 'transferred',
        reason: 'moved to a detention centre',
      }),
      'custody 2',
      200,
    );
    const repatriation = ok(
      await who('kr.officer').post('/repatriation-requests', {
        frameworkId: krKh,
        targetCountry: 'KH',
        priority: 'urgent',
        handlingCode: 'AMBER',
        subject: 'KR repatriation draft',
        arrestIds: [arrest.id],
      }),
      'repatriation draft',
    );
    await step('kr.officer', '/repatriation-requests', repatriation.id, 'submit');
    await step('kr.liaison', '/repatriation-requests', repatriation.id, 'return');
    // 4. A freeze draft to KH submitted and withdrawn; a blacklist draft to KH submitted and returned.
    const freeze = ok(
      await who('kr.officer').post('/asset-freeze-requests', {
        frameworkId: krKh,
        targetCountry: 'KH',
        priority: 'immediate',
        handlingCode: 'AMBER',
        subject: 'KR freeze draft',
        targets: [
          {
            type: 'bank_account',
            institutionName: 'ACLEDA Bank',
            institutionCode: 'ACLBKHPP',
            accountNumber: '777-000-1',
            holderName: 'LEE Hidden',
            borrowedName: true,
            amountSought: { amount: '1000', currency: 'USD' },
            grounds: { summary: 'Proceeds' },
          },
        ],
      }),
      'freeze draft',
    );
    await step('kr.officer', '/asset-freeze-requests', freeze.id, 'submit');
    await step('kr.officer', '/asset-freeze-requests', freeze.id, 'withdraw');
    const proposal = ok(
      await who('kr.officer').post('/blacklist-entries/batch', {
        frameworkId: krKh,
        banningCountry: 'KH',
        entries: [{ personId: person.id, grounds: 'Recruiter.', groundsSummary: 'Recruiter' }],
      }),
      'blacklist draft',
    );
    await step('kr.officer', '/blacklist-proposals', proposal.id, 'submit');
    await step('kr.liaison', '/blacklist-proposals', proposal.id, 'return');
    // 5. Screenings at KR's checkpoints; two of HENG Shared (KH's proposal, banned in KR): one cleared,
    //    one left for the desk.
    for (const full of ['KIM Min-jun', 'LEE Hidden', 'KH person'])
      ok(
        await who('kr.screener').post('/screenings', { checkpoint: 'ICN-T1-ARR', names: [{ full }] }),
        'screening',
      );
    for (const decide of [true, false]) {
      const screening = ok(
        await who('kr.screener').post('/screenings', {
          names: [{ full: 'HENG Shared' }],
          birthDate: '1988',
          nationality: 'KH',
          checkpoint: 'Incheon International Airport',
        }),
        'screening of HENG',
      ) as unknown as { id: string; candidates: { id: string; entry: { entryId: string } }[] };
      const candidate = screening.candidates.find((c) => c.entry.entryId === ids.hengEntry);
      if (!candidate)
        throw new Error(`KR's screening of HENG found no candidate: ${JSON.stringify(screening)}`);
      if (decide)
        ok(
          await who('kr.screener').post(`/screenings/${screening.id}/candidates/${candidate.id}/decision`, {
            decision: 'cleared',
            reason: 'Another man',
          }),
          'cleared',
          200,
        );
    }
    // 6. KR's own accounts and webhooks.
    const [{ id: agencyId }] = await t.dataSource.query(`SELECT id FROM agency WHERE country_code = 'KR'`);
    const user = ok(
      await who('kr.admin').post('/users', {
        username: 'kr.r30.officer',
        displayName: 'R30 Officer',
        agencyId,
        roles: ['officer'],
        password: 'a long enough passphrase for tests 42',
      }),
      'user',
    );
    ok(
      await who('kr.admin').post(`/users/${user.id}/role-changes`, {
        version: user.version,
        roles: ['officer', 'liaison'],
      }),
      'role change',
    );
    ok(
      await who('kr.admin').post('/webhooks', {
        url: 'https://example.org/kr-hook',
        eventTypes: ['request.inbound'],
        secret: 'a-webhook-secret-of-at-least-32-characters',
      }),
      'webhook',
    );
    // 7. KR's auditor reads its trail.
    ok(await who('kr.auditor').get('/audit-events?limit=5'), 'audit', 200);
    // 8. KH's persons, received: into KR's hidden case, arrested, named in a draft to KH, proposed in a
    //    blacklist draft to KH.
    ok(
      await who('kr.officer').post(`/cases/${kase.id}/persons`, {
        persons: [
          { personId: ids.khPerson, role: 'suspect' },
          { personId: ids.heng, role: 'witness' },
        ],
      }),
      'link KH persons',
    );
    ok(
      await who('kr.officer').post('/arrests', {
        arrestedAt: '2026-03-04T02:30:00Z',
        place: 'A hidden call centre in Incheon',
        grounds: 'Online fraud',
        arrestingAgency: 'KNPA',
        nationality: 'KH',
        personId: ids.khPerson,
      }),
      'arrest of KH person',
    );
    ok(
      await who('kr.officer').post('/information-requests', {
        frameworkId: krKh,
        targetCountry: 'KH',
        priority: 'routine',
        handlingCode: 'AMBER',
        subject: 'About your person',
        questions: ['Anything new?'],
        personIds: [ids.khPerson],
      }),
      'draft naming KH person',
    );
    ok(
      await who('kr.officer').post('/blacklist-entries/batch', {
        frameworkId: krKh,
        banningCountry: 'KH',
        entries: [{ personId: ids.khPerson, grounds: 'Recruiter.', groundsSummary: 'Recruiter' }],
      }),
      'blacklist draft of KH person',
    );
    // 9. PARK Min-ho, KR's own person in the ban KH holds: into the hidden case, arrested, saved again as
    //    he is (a save that changes nothing is no change of what others read, probe r5), and the shared
    //    file's bytes filed on the hidden case.
    const [{ person_id: park }] = await t.dataSource.query(
      `SELECT person_id FROM blacklist_entry WHERE id = $1`,
      [ids.parkEntry],
    );
    ok(
      await who('kr.officer').post(`/cases/${kase.id}/persons`, {
        persons: [{ personId: park, role: 'suspect' }],
      }),
      'link PARK',
    );
    ok(
      await who('kr.officer').post('/arrests', {
        arrestedAt: '2026-03-05T02:30:00Z',
        place: 'A hidden call centre in Incheon',
        grounds: 'Money laundering',
        arrestingAgency: 'KNPA',
        nationality: 'KR',
        personId: park,
      }),
      'arrest of PARK',
    );
    const parkNow = ok(await who('kr.officer').get(`/persons/${park}`), 'PARK', 200) as unknown as {
      version: number;
      names: object[];
      birthDate: string;
      nationalities: string[];
    };
    ok(
      await who('kr.officer').patch(`/persons/${park}`, {
        version: parkNow.version,
        names: parkNow.names,
        birthDate: parkNow.birthDate,
        nationalities: parkNow.nationalities,
      }),
      'PARK saved as he is',
      200,
    );
    await upload(`/api/v1/cases/${kase.id}/attachments`, 'kr-hidden-copy.txt');
    // 10. KR's internal work on the case it shares with KH: a new lead officer.
    const [{ id: officer2 }] = await t.dataSource.query(
      `SELECT id FROM app_user WHERE username = 'kr.officer2'`,
    );
    const shared = ok(await who('kr.officer').get(`/cases/${ids.krSharedCase}`), 'case', 200);
    ok(
      await who('kr.officer').patch(`/cases/${ids.krSharedCase}`, {
        version: shared.version,
        leadOfficerId: officer2,
      }),
      'lead officer',
      200,
    );
  }
});
