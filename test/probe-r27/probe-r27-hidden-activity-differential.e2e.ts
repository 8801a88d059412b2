import request from 'supertest';
import { TestApp } from '../support/test-app';
import { randomUUID } from 'node:crypto';
import { kindOf, SignedCaller, World } from '../security/security-support';
import {
  actingAs,
  answerNaming,
  askAsObserver,
  ReadingPlan,
  runJobs,
  startDifferential,
  SuccessiveReadings,
} from './r27-support';

/**
 * Probe r27: a differential oracle on numbers and shapes. KH does things that must stay invisible to
 * KR, MY and TH (drafts to KR never sent, a case and an arrest never shared, screenings at its
 * checkpoint, its own accounts, a blacklist draft, a withdrawn draft, a file on its unshared case, a
 * RED request to MY). Every caller of each observing country reads every GET route of the OpenAPI
 * document before and after; with only what the read itself produces masked (its own times, the
 * auditors' own read events), nothing may differ: not a count, a total, a statistic, a cursor, an
 * order, a reference, a header.
 */
describe('Probe r27: another country’s hidden activity changes nothing an observer reads', () => {
  let t: TestApp;
  let queryNames: Map<string, Set<string>>;
  let callers: SignedCaller[];
  let world: World;
  let plan: ReadingPlan;
  const { who, ok, step } = actingAs(() => callers);
  let multilateral: string;
  let khKr: string;

  beforeAll(async () => {
    ({ t, queryNames, callers, world, multilateral, plan } = await startDifferential(['KR', 'MY', 'TH']));
    khKr = world.context.KH.frameworkId;
    await sharedWorld();
    plan.auditFrom = new Date().toISOString();
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  /** Each observer's latest answer on each route: what the next reading is compared with. */
  const readings = new SuccessiveReadings(
    () => plan,
    () => queryNames,
  );
  /** Runs the jobs, reads as `observers` (usernames; all by default), and returns what changed since their previous reading. */
  async function readAgain(observers?: string[]): Promise<string[]> {
    await runJobs(t);
    return readings.compare('now', observers);
  }
  const usernames = (test: (c: SignedCaller) => boolean) =>
    plan.observers.filter(test).map((c) => c.username);

  let askedBefore: Map<string, string>;
  it('reads the same after KH works on records KR, MY and TH were never given', async () => {
    askedBefore = await askAsObserver(plan.observers);
    await readAgain();
    await hiddenWorkOfKh();
    const changed = await readAgain();
    console.log(`r27: ${readings.reads} reads in two readings`);
    expect(changed).toEqual([]);
  }, 300_000);

  it('reads the same in KR and TH after KH works with MY (a RED request among it)', async () => {
    await khWorksWithMalaysia();
    expect(await readAgain(usernames((c) => c.country !== 'MY'))).toEqual([]);
  }, 300_000);

  it('reads the same for KR users a RED request KH sends KR does not name, and in TH, even once overdue', async () => {
    const red = await khSends('KR', 'RED', 'KH asks KR under RED');
    await step('kr.liaison', '/information-requests', red.id, 'accept');
    const [{ id: officer2 }] = await t.dataSource.query(
      `SELECT id FROM app_user WHERE username = 'kr.officer2'`,
    );
    await step('kr.liaison', '/information-requests', red.id, 'assign', { assigneeId: officer2 });
    // Its recipients in KR: the liaisons and the assignee; KR's auditor audits what they do with it.
    const notRecipients = usernames(
      (c) => c.country === 'TH' || ['kr.officer', 'kr.screener', 'kr.admin'].includes(c.username),
    );
    expect(await readAgain(notRecipients)).toEqual([]);
    // Its answer falls due (its due time moved into the past: the rollups follow by trigger), and the
    // deadline scan runs: no count, filter or notice of a non-recipient moves.
    await t.dataSource.query(
      `UPDATE cross_border_request SET due_at = now() - interval '1 hour' WHERE id = $1`,
      [red.id],
    );
    expect(await readAgain(notRecipients)).toEqual([]);
    const overdue = ok(
      await who('kr.liaison').get('/information-requests?overdue=true'),
      'overdue',
      200,
    ) as unknown as {
      items: { id: string }[];
    };
    expect(overdue.items.map((r) => r.id)).toContain(red.id); // a recipient does read it overdue
  }, 300_000);

  it('does show KR (and only KR) a request KH sends it: the reading tells a change when there is one', async () => {
    const before = await khLastReferenceTo('KR');
    const caseShares = async () =>
      (
        ok(await who('kr.officer').get('/cases'), 'cases', 200) as unknown as {
          items: { reference: string }[];
        }
      ).items
        .map((c) => c.reference)
        .filter((r) => r.startsWith('KH-KR-CASE-'))
        .sort();
    const sharedBefore = (await caseShares()).pop()!;
    const sent = await khSends('KR', 'AMBER', 'A request KR is meant to read');
    const kase = ok(await who('kh.officer').post('/cases', { title: 'KH case KR is meant to read' }), 'case');
    ok(await who('kh.liaison').post(`/cases/${kase.id}/shares`, { countryCode: 'KR' }), 'share');
    const changed = await readAgain(['kr.officer', 'th.officer']);
    expect(changed.filter((d) => d.startsWith('th.officer '))).toEqual([]);
    expect(
      changed.filter((d) => /GET \/api\/v1\/(stats|information-requests)\b/.test(d)).length,
    ).toBeGreaterThan(2);
    // The pair's reference series counts what KH sent KR, nothing else it drafted, withdrew or sent MY.
    expect(sent.reference).toBe(nextReference(before));
    // So does the pair's case-share series: not KH's hidden cases, nor the case it shared with MY.
    expect((await caseShares()).pop()).toBe(nextReference(sharedBefore));
  }, 300_000);

  it('answers KR, MY and TH screenings and chain checks as before KH’s hidden work', async () => {
    const asked = await askAsObserver(plan.observers);
    const changed = [...asked].filter(([key, answer]) => askedBefore.get(key) !== answer);
    expect(changed.map(([key, answer]) => `${key}: ${askedBefore.get(key)} → ${answer}`)).toEqual([]);
    // The screenings found what each country bans (HENG Shared in KR), so their silence means something.
    expect(asked.get('kr.screener screens HENG Shared')).toContain('HENG');
  }, 120_000);

  it('answers KR, on every route naming a record, for KH’s hidden records exactly as for ids that never existed', async () => {
    const hidden = world.records.filter(
      (r) => r.owner === 'KH' && !r.visibleTo.includes('KR') && r.kind !== 'identifier-check',
    );
    const routes = plan.routes.filter((r) => r.method === 'GET' && kindOf(r.path));
    const differing: string[] = [];
    let compared = 0;
    for (const caller of plan.observers.filter((c) => c.country === 'KR'))
      for (const route of routes)
        for (const record of hidden.filter((r) => r.kind === kindOf(route.path)).slice(0, 2)) {
          const never = randomUUID();
          const url = (id: string) =>
            route.path
              .replace('{id}', id)
              .replace('{countryCode}', 'MY')
              .replace(/\{[A-Za-z]+\}/g, '00000000-0000-4000-8000-000000000027');
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

  /** The reference of the pair series that follows `reference` (`KH-KR-2026-000002` → `…000003`). */
  const nextReference = (reference: string) =>
    reference.replace(/(\d+)$/, (n) => String(Number(n) + 1).padStart(n.length, '0'));

  async function khLastReferenceTo(country: string): Promise<string> {
    const items = ok(
      await who(`${country.toLowerCase()}.liaison`).get('/information-requests?direction=inbound'),
      'inbound',
      200,
    ) as unknown as {
      items: { reference: string; originCountry?: string }[];
    };
    // Numbered ones: a RED request's reference is random and counts nothing.
    const refs = items.items.map((r) => r.reference).filter((r) => /^KH-.*-\d+$/.test(r ?? ''));
    return refs.sort().pop()!;
  }

  async function khSends(target: string, handlingCode: string, subject: string) {
    const frameworkId = target === 'KR' ? khKr : multilateral;
    const draft = ok(
      await who('kh.officer').post('/information-requests', {
        frameworkId,
        targetCountry: target,
        priority: 'routine',
        handlingCode,
        subject,
        questions: ['Who holds +85512777003?'],
      }),
      `draft to ${target}`,
    );
    await step('kh.officer', '/information-requests', draft.id, 'submit');
    return step('kh.liaison', '/information-requests', draft.id, 'approve');
  }

  const visible = (kind: string, id: string, countries: string[]) =>
    plan.extraVisible.push({ kind, id, countries });
  /** Ids the phases use: KR's person KH received, KH's case KR reads, an entry of each country's. */
  const ids: Record<string, string> = {};

  /**
   * What KR, MY and TH legitimately read before the hidden work, so that it has something to change:
   * records of their own holding the phones, passport and account KH's hidden records will hold; a KR
   * person KH received (a case KR shared with it); a case KH shared with KR; a KR proposal KH banned,
   * and a KH proposal KR banned; an inbound MY request KR accepted.
   */
  async function sharedWorld() {
    for (const [country, phone] of [
      ['kr', '+85512777001'],
      ['my', '+85512777002'],
      ['th', '+85512777002'],
    ]) {
      const person = ok(
        await who(`${country}.officer`).post('/persons', {
          names: [{ full: `${country.toUpperCase()} Holder`, script: 'latin', kind: 'primary' }],
          phones: [phone],
          documents: [{ type: 'passport', number: 'N77700123', issuingCountry: 'KR' }],
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
      if (country === 'kr') {
        ids.krPerson = person.id;
        plan.personFilter = person.id;
        ok(await who('kr.liaison').post(`/cases/${kase.id}/shares`, { countryCode: 'KH' }), 'KR share');
      }
    }
    const khPerson = ok(
      await who('kh.officer').post('/persons', {
        names: [{ full: 'HENG Shared', script: 'latin', kind: 'primary' }],
        birthDate: '1988',
        nationalities: ['KH'],
      }),
      'KH shared person',
    );
    ids.khSharedPerson = khPerson.id;
    const khCase = ok(
      await who('kh.officer').post('/cases', {
        title: 'KH case shared with KR',
        persons: [{ personId: khPerson.id, role: 'suspect' }],
      }),
      'KH shared case',
    );
    ids.khSharedCase = khCase.id;
    ok(await who('kh.liaison').post(`/cases/${khCase.id}/shares`, { countryCode: 'KR' }), 'KH share');
    visible('case', khCase.id, ['KR']);
    visible('person', khPerson.id, ['KR']);

    // KR proposes PARK Min-ho to KH, KH bans him; KH proposes HENG Shared to KR, KR bans him.
    const ban = async (from: string, to: string, entries: object[]) => {
      const proposal = ok(
        await who(`${from}.officer`).post('/blacklist-entries/batch', {
          frameworkId: khKr,
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
        visible('blacklist-entry', id, ['KR']);
      }
      visible('blacklist-proposal', proposal.id, ['KR']);
      return entryIds.map((e) => e.id);
    };
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
    await ban('kh', 'kr', [{ personId: khPerson.id, grounds: 'Recruiter.', groundsSummary: 'Recruiter' }]);

    // MY's request to KR, accepted by KR.
    const fromMy = world.records.find(
      (r) => r.kind === 'information-request' && r.owner === 'MY' && r.visibleTo.includes('KR'),
    )!;
    ids.myRequest = fromMy.id;
    await step('kr.liaison', '/information-requests', fromMy.id, 'accept');
  }

  async function khWorksWithMalaysia() {
    const amber = await khSends('MY', 'AMBER', 'KH asks MY');
    await step('my.liaison', '/information-requests', amber.id, 'accept');
    const red = await khSends('MY', 'RED', 'KH asks MY under RED');
    await step('my.liaison', '/information-requests', red.id, 'accept');
    const kase = ok(await who('kh.officer').post('/cases', { title: 'KH case shared with MY' }), 'case');
    ok(await who('kh.liaison').post(`/cases/${kase.id}/shares`, { countryCode: 'MY' }), 'share');
  }

  async function hiddenWorkOfKh() {
    // 1. A draft to KR, submitted, returned, submitted again and withdrawn: never sent.
    const draft = ok(
      await who('kh.officer').post('/information-requests', {
        frameworkId: khKr,
        targetCountry: 'KR',
        priority: 'urgent',
        handlingCode: 'AMBER',
        subject: 'KH draft never sent',
        questions: ['Who holds +85512777001?'],
        identifiers: { phones: ['+85512777001'] },
      }),
      'draft',
    );
    await step('kh.officer', '/information-requests', draft.id, 'submit');
    await step('kh.liaison', '/information-requests', draft.id, 'return');
    await step('kh.officer', '/information-requests', draft.id, 'submit');
    await step('kh.officer', '/information-requests', draft.id, 'withdraw');
    // A second draft left as it is.
    ok(
      await who('kh.officer').post('/information-requests', {
        frameworkId: khKr,
        targetCountry: 'KR',
        priority: 'routine',
        handlingCode: 'GREEN',
        subject: 'KH second draft',
        questions: ['Anything on +85512777002?'],
      }),
      'draft 2',
    );
    // 2. A case never shared, with a person, edited, and a file on it.
    const person = ok(
      await who('kh.officer').post('/persons', {
        names: [{ full: 'SOK Hidden', script: 'latin', kind: 'primary' }],
        nationalities: ['KR'],
        phones: ['+85512777002'],
        documents: [{ type: 'passport', number: 'N77700123', issuingCountry: 'KR' }],
      }),
      'person',
    );
    const kase = ok(
      await who('kh.officer').post('/cases', {
        title: 'KH case never shared',
        persons: [{ personId: person.id, role: 'suspect' }],
      }),
      'case',
    );
    ok(
      await who('kh.officer').patch(`/cases/${kase.id}`, { version: kase.version, title: 'KH case renamed' }),
      'case edit',
      200,
    );
    ok(
      await request(t.server)
        .post(`/api/v1/cases/${kase.id}/attachments`)
        .set('Authorization', `Bearer ${who('kh.officer').tokens.accessToken}`)
        .set('Content-Type', 'application/octet-stream')
        .set('X-Filename', 'kh-hidden.txt')
        .send(Buffer.from('KH hidden evidence\n')),
      'file',
    );
    // 3. An arrest of a Korean, never shared, with a custody step; a repatriation draft to KR for it.
    const arrest = ok(
      await who('kh.officer').post('/arrests', {
        arrestedAt: '2026-03-03T02:30:00Z',
        place: 'A hidden compound',
        grounds: 'Online fraud',
        arrestingAgency: 'CNP',
        nationality: 'KR',
        caseId: kase.id,
        person: { names: [{ full: 'KIM Hidden', script: 'latin', kind: 'primary' }] },
      }),
      'arrest',
    );
    ok(
      await who('kh.officer').post(`/arrests/${arrest.id}/custody`, {
        version: arrest.version,
        status: 'charged',
        reason: 'charged',
      }),
      'custody',
      200,
    );
    ok(
      await who('kh.officer').post('/repatriation-requests', {
        frameworkId: khKr,
        targetCountry: 'KR',
        priority: 'routine',
        handlingCode: 'AMBER',
        subject: 'KH repatriation draft',
        arrestIds: [arrest.id],
      }),
      'repatriation draft',
    );
    // 4. A freeze draft and a blacklist draft to KR, never sent.
    ok(
      await who('kh.officer').post('/asset-freeze-requests', {
        frameworkId: khKr,
        targetCountry: 'KR',
        priority: 'routine',
        handlingCode: 'AMBER',
        subject: 'KH freeze draft',
        targets: [
          {
            type: 'bank_account',
            institutionName: 'KB Bank',
            institutionCode: 'CZNBKRSE',
            accountNumber: '777-000-1',
            holderName: 'SOK Hidden',
            borrowedName: false,
            amountSought: { amount: '1000', currency: 'USD' },
            grounds: { summary: 'Proceeds' },
          },
        ],
      }),
      'freeze draft',
    );
    ok(
      await who('kh.officer').post('/blacklist-entries/batch', {
        frameworkId: khKr,
        banningCountry: 'KR',
        entries: [{ personId: person.id, grounds: 'Recruiter.', groundsSummary: 'Recruiter' }],
      }),
      'blacklist draft',
    );
    // 5. Screenings at KH's checkpoint.
    for (const full of ['KIM Min-jun', 'SOK Hidden', 'KR person'])
      ok(
        await who('kh.screener').post('/screenings', { checkpoint: 'PNH-ARR', names: [{ full }] }),
        'screening',
      );
    // 6. KH's own accounts and webhooks.
    const [{ id: agencyId }] = await t.dataSource.query(`SELECT id FROM agency WHERE country_code = 'KH'`);
    const user = ok(
      await who('kh.admin').post('/users', {
        username: 'kh.r27.officer',
        displayName: 'R27 Officer',
        agencyId,
        roles: ['officer'],
        password: 'a long enough passphrase for tests 42',
      }),
      'user',
    );
    ok(
      await who('kh.admin').post(`/users/${user.id}/role-changes`, {
        version: user.version,
        roles: ['officer', 'screener'],
      }),
      'role change',
    );
    ok(
      await who('kh.admin').post('/webhooks', {
        url: 'https://example.org/kh-hook',
        eventTypes: ['request.inbound'],
        secret: 'a-webhook-secret-of-at-least-32-characters',
      }),
      'webhook',
    );
    // 7. KH's auditor reads its trail.
    ok(await who('kh.auditor').get('/audit-events?limit=5'), 'audit', 200);
    // 8. KR's person, received: into KH's hidden case, arrested, named in a draft to KR, proposed in a
    //    blacklist draft to KR.
    ok(
      await who('kh.officer').post(`/cases/${kase.id}/persons`, {
        persons: [{ personId: ids.krPerson, role: 'suspect' }],
      }),
      'link KR person',
      201,
    );
    ok(
      await who('kh.officer').post('/arrests', {
        arrestedAt: '2026-03-04T02:30:00Z',
        place: 'A hidden compound',
        grounds: 'Online fraud',
        arrestingAgency: 'CNP',
        nationality: 'KR',
        personId: ids.krPerson,
      }),
      'arrest of KR person',
    );
    ok(
      await who('kh.officer').post('/information-requests', {
        frameworkId: khKr,
        targetCountry: 'KR',
        priority: 'routine',
        handlingCode: 'AMBER',
        subject: 'About your person',
        questions: ['Anything new?'],
        personIds: [ids.krPerson],
      }),
      'draft naming KR person',
    );
    ok(
      await who('kh.officer').post('/blacklist-entries/batch', {
        frameworkId: khKr,
        banningCountry: 'KR',
        entries: [{ personId: ids.krPerson, grounds: 'Recruiter.', groundsSummary: 'Recruiter' }],
      }),
      'blacklist draft of KR person',
    );
    // 9. KH's checkpoint screens PARK Min-ho (KR's proposal, banned in KH) and clears him.
    const screening = ok(
      await who('kh.screener').post('/screenings', {
        names: [{ full: 'PARK Min-ho' }],
        birthDate: '1979',
        nationality: 'KR',
        checkpoint: 'Phnom Penh International Airport',
      }),
      'screening of PARK',
    ) as unknown as { id: string; candidates: { id: string; entry: { entryId: string } }[] };
    const candidate = screening.candidates.find((c) => c.entry.entryId === ids.parkEntry)!;
    ok(
      await who('kh.screener').post(`/screenings/${screening.id}/candidates/${candidate.id}/decision`, {
        decision: 'cleared',
        reason: 'Another man',
      }),
      'cleared',
      200,
    );
    // 10. KH's internal work on what it shares with KR: a new lead officer, a phone on its person (no
    //     identity change: no amendment for KR's ban).
    const [{ id: officer2 }] = await t.dataSource.query(
      `SELECT id FROM app_user WHERE username = 'kh.officer2'`,
    );
    const shared = ok(await who('kh.officer').get(`/cases/${ids.khSharedCase}`), 'case', 200);
    ok(
      await who('kh.officer').patch(`/cases/${ids.khSharedCase}`, {
        version: shared.version,
        leadOfficerId: officer2,
      }),
      'lead officer',
      200,
    );
  }
});
