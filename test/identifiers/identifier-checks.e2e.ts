import { signIn, SignedIn } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';
import { taskForce, TaskForce } from '../support/scenario';
import { send } from '../sharing/support';

/** `+85560000000` … `+85560000999`: the numbers of the 1,000-phone check, by position. */
const phone = (i: number) => `+85560${String(i).padStart(6, '0')}`;
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

interface CheckView {
  id: string;
  identifierCount: number;
  partners: Array<{ country: string; answered: boolean; frameworkId: string | null; hits: number }>;
  results: Array<{
    position: number;
    identifier: { value: string };
    answers: Array<{ country: string; answer: string }>;
  }>;
}

/**
 * Issue 20, item 4: hit/no-hit checks against partners, as the Prüm exchange works. Acceptance: KR checks
 * 1,000 phones against KH, MY and TH — hits exactly where they hold the numbers in their own records,
 * no hit where the only record is one received under AMBER+STRICT, both sides' auditors see the check;
 * a partner not asked learns nothing.
 */
describe('Identifier checks (hit/no-hit)', () => {
  let t: TestApp;
  let tf: TaskForce;
  let th: Record<'officer' | 'liaison' | 'auditor', SignedIn>;
  let multilateral: string;
  let malaysiaKorea: string;
  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
    th = {
      officer: await signIn(t.server, 'th.officer'),
      liaison: await signIn(t.server, 'th.liaison'),
      auditor: await signIn(t.server, 'th.auditor'),
    };
    [{ id: multilateral }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'International Investigative Body on Scam Compounds'`,
    );
    [{ id: malaysiaKorea }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name LIKE 'Korea–Malaysia%'`,
    );
  });
  afterAll(() => t?.close());

  const person = (who: SignedIn, phones: string[]) =>
    who
      .post('/persons', { names: [{ full: 'LIM Sovann', script: 'latin', kind: 'primary' }], phones })
      .expect(201);
  /** `from` asks `to` an information request naming `phones`, under `code`, and sends it. */
  const sendPhones = async (
    from: { officer: SignedIn; liaison: SignedIn },
    to: string,
    frameworkId: string,
    code: string,
    phones: string[],
  ) => {
    const draft = (
      await from.officer
        .post('/information-requests', {
          frameworkId,
          targetCountry: to,
          priority: 'routine',
          handlingCode: code,
          subject: 'Numbers used by the compound',
          questions: ['Who uses these numbers?'],
          identifiers: { phones },
        })
        .expect(201)
    ).body;
    await send(from.officer, from.liaison, '/information-requests', draft);
  };
  const check = async (who: SignedIn, partners: string[], phones: string[]) =>
    (
      await who
        .post('/identifier-checks', {
          partners,
          identifiers: phones.map((value) => ({ kind: 'phone', value })),
        })
        .expect(201)
    ).body as CheckView;
  const hitsOf = (view: CheckView, country: string) =>
    view.results
      .filter((r) => r.answers.find((a) => a.country === country)?.answer === 'hit')
      .map((r) => r.position);
  const auditOf = async (auditor: SignedIn, recordId: string) =>
    (await auditor.get(`/audit-events?recordId=${recordId}&limit=200`).expect(200)).body.items as Array<{
      action: string;
      ownerCountry: string;
      counterpartCountry: string | null;
      actor: { country: string; username: string };
      details: Record<string, unknown>;
    }>;

  describe('KR checks 1,000 phone numbers against KH, MY and TH', () => {
    let view: CheckView;
    beforeAll(async () => {
      const my = { officer: tf['my.officer'], liaison: tf['my.liaison'] };
      // Their own records.
      for (const block of [range(0, 20), range(20, 40), range(40, 60)])
        await person(tf['kh.officer'], block.map(phone));
      for (const block of [range(100, 120), range(120, 140)])
        await person(tf['my.officer'], block.map(phone));
      await person(th.officer, range(200, 220).map(phone));
      // Received only: KR gave KH 400–409 under AMBER+STRICT; MY gave TH 300–309 the same way, and TH
      // wrote 300 into a person of its own after receiving it. Still not TH's to answer.
      await sendPhones(
        { officer: tf['kr.officer'], liaison: tf['kr.liaison'] },
        'KH',
        tf.cambodiaKoreaFramework,
        'AMBER+STRICT',
        range(400, 410).map(phone),
      );
      await sendPhones(my, 'TH', multilateral, 'AMBER+STRICT', range(300, 310).map(phone));
      await person(th.officer, [phone(300)]);
      // Received under GREEN, then recorded by TH itself: a hit (only AMBER or stricter keeps it out).
      await sendPhones(my, 'TH', multilateral, 'GREEN', [phone(500)]);
      await person(th.officer, [phone(500)]);
      // MY's officer drafts a request naming 600–604 and submits one naming 610–614 that MY's liaison has
      // not approved: nothing left MY, so neither is MY's holding to answer for.
      for (const [phones, submit] of [
        [range(600, 605), false],
        [range(610, 615), true],
      ] as const) {
        const draft = (
          await my.officer
            .post('/information-requests', {
              frameworkId: malaysiaKorea,
              targetCountry: 'KR',
              priority: 'routine',
              handlingCode: 'GREEN',
              subject: 'Numbers seen in a raid',
              questions: ['Whose numbers are these?'],
              identifiers: { phones: phones.map(phone) },
            })
            .expect(201)
        ).body as { id: string; version: number };
        if (submit)
          await my.officer
            .post(`/information-requests/${draft.id}/submit`, { version: draft.version })
            .expect(200);
      }

      view = await check(tf['kr.officer'], ['KH', 'MY', 'TH'], range(0, 1000).map(phone));
    }, 120_000);

    it('answers hit exactly where each partner holds the number in its own records', () => {
      expect(view.identifierCount).toBe(1000);
      expect(view.results).toHaveLength(1000);
      expect(view.results[7]!.identifier.value).toBe(phone(7));
      expect(hitsOf(view, 'KH')).toEqual(range(0, 60));
      // MY's own records include the requests it sent (300–309 and 500 are its own data).
      expect(hitsOf(view, 'MY')).toEqual([...range(100, 140), ...range(300, 310), 500]);
      expect(hitsOf(view, 'TH')).toEqual([...range(200, 220), 500]);
      expect(view.partners).toEqual([
        { country: 'KH', answered: true, frameworkId: expect.any(String), hits: 60 },
        { country: 'MY', answered: true, frameworkId: expect.any(String), hits: 51 },
        { country: 'TH', answered: true, frameworkId: multilateral, hits: 21 },
      ]);
    });

    it('answers no hit where the only record is one received under AMBER+STRICT', () => {
      for (const i of range(400, 410))
        expect(view.results[i]!.answers).toContainEqual({ country: 'KH', answer: 'no_hit' });
      for (const i of range(300, 310))
        expect(view.results[i]!.answers).toContainEqual({ country: 'TH', answer: 'no_hit' });
    });

    it('tells nothing but hit or no hit: no record, no count of records', () => {
      const answerKeys = new Set(view.results.flatMap((r) => r.answers.flatMap((a) => Object.keys(a))));
      expect([...answerKeys].sort()).toEqual(['answer', 'country']);
    });

    it("is audited on both sides: KR's auditors see the check, each partner's see which country asked how many and how many hit", async () => {
      const kr = await auditOf(tf['kr.auditor'], view.id);
      expect(kr.map((e) => e.action).sort()).toEqual([
        'identifier_check.answer',
        'identifier_check.answer',
        'identifier_check.answer',
        'identifier_check.run',
      ]);
      expect(kr.find((e) => e.action === 'identifier_check.run')!.details).toMatchObject({
        identifierCount: 1000,
      });
      for (const [auditor, country, hits] of [
        [tf['kh.auditor'], 'KH', 60],
        [tf['my.auditor'], 'MY', 51],
        [th.auditor, 'TH', 21],
      ] as const) {
        const events = await auditOf(auditor, view.id);
        expect(events).toEqual([
          expect.objectContaining({
            action: 'identifier_check.answer',
            ownerCountry: country,
            actor: expect.objectContaining({ country: 'KR', username: null }), // another country's staff are not named (probe r8)
            details: {
              askerCountry: 'KR',
              identifierCount: 1000,
              answered: true,
              frameworkId: expect.any(String),
              hits,
            },
          }),
        ]);
      }
    });

    it('is read back by its own country only', async () => {
      const again = (await tf['kr.auditor'].get(`/identifier-checks/${view.id}`).expect(200)).body;
      expect(again).toEqual(view);
      for (const who of [tf['kh.officer'], tf['my.liaison'], th.officer])
        await who.get(`/identifier-checks/${view.id}`).expect(404);
    });

    it('offers a one-click follow-up of a hit: a draft information request to that partner', async () => {
      const draft = (
        await tf['kr.officer']
          .post(`/identifier-checks/${view.id}/follow-ups`, { partnerCountry: 'KH', position: 3 })
          .expect(201)
      ).body;
      expect(draft).toMatchObject({
        status: 'draft',
        targetCountry: 'KH',
        kind: 'information',
        identifiers: { phones: [phone(3)] },
      });
      // A draft: KH does not see it until KR's liaison approves it.
      await tf['kh.officer'].get(`/information-requests/${draft.id}`).expect(404);
      // Only a hit is followed up, and only by the country that asked.
      await tf['kr.officer']
        .post(`/identifier-checks/${view.id}/follow-ups`, { partnerCountry: 'KH', position: 400 })
        .expect(422);
      await tf['kr.officer']
        .post(`/identifier-checks/${view.id}/follow-ups`, { partnerCountry: 'VN', position: 3 })
        .expect(422);
      await tf['kh.officer']
        .post(`/identifier-checks/${view.id}/follow-ups`, { partnerCountry: 'KH', position: 3 })
        .expect(404);
    });
  });

  describe('MY, not asked, learns nothing', () => {
    it('finds no trace of a check KR made of KH and TH', async () => {
      const my = tf['my.officer'];
      const newestEvent = async () =>
        ((await tf['my.auditor'].get('/audit-events?limit=1').expect(200)).body.items[0] as { id: string })
          .id;
      const before = await newestEvent();
      await person(tf['my.officer'], [phone(900)]);
      const ownWrite = await newestEvent();
      expect(ownWrite).not.toBe(before); // the auditor's list does move with MY's own events
      const statsBefore = (await tf['my.liaison'].get('/stats?from=2026-01-01&to=2027-01-01').expect(200))
        .body;
      const notificationsBefore = (await my.get('/notifications?limit=200').expect(200)).body.items.length;
      const view = await check(tf['kr.officer'], ['KH', 'TH'], [phone(900), phone(1)]);
      expect(view.partners.map((p) => p.country)).toEqual(['KH', 'TH']);

      await my.get(`/identifier-checks/${view.id}`).expect(404);
      await tf['my.auditor'].get(`/identifier-checks/${view.id}`).expect(404);
      expect((await my.get('/identifier-checks?limit=200').expect(200)).body.items).toEqual([]);
      // Its own 404s and audit reads above are its own events; nothing of the check itself.
      const traces = await auditOf(tf['my.auditor'], view.id);
      expect(traces.filter((e) => e.actor.country !== 'MY')).toEqual([]);
      const since = (await tf['my.auditor'].get('/audit-events?limit=50').expect(200)).body.items as Array<{
        id: string;
        action: string;
        actor: { country: string };
      }>;
      expect(since.some((e) => e.id === ownWrite)).toBe(true);
      const newer = since.slice(
        0,
        since.findIndex((e) => e.id === ownWrite),
      );
      expect(newer.filter((e) => e.actor.country !== 'MY')).toEqual([]);
      expect((await my.get('/notifications?limit=200').expect(200)).body.items.length).toBe(
        notificationsBefore,
      );
      expect((await tf['my.liaison'].get('/stats?from=2026-01-01&to=2027-01-01').expect(200)).body).toEqual(
        statsBefore,
      );
      // Nor does KH learn that TH was asked: its one event names the asker only.
      const kh = await auditOf(tf['kh.auditor'], view.id);
      expect(kh.map((e) => [e.details, e.counterpartCountry])).toEqual([
        [
          {
            askerCountry: 'KR',
            identifierCount: 2,
            answered: true,
            frameworkId: expect.any(String),
            hits: 1,
          },
          'KR',
        ],
      ]);
    });
  });

  describe('who may be asked', () => {
    it('refuses a partner that is not a current co-member of a framework in force, revealing nothing else', async () => {
      const res = await tf['kr.officer']
        .post('/identifier-checks', {
          partners: ['KH', 'BN'],
          identifiers: [{ kind: 'phone', value: phone(1) }],
        })
        .expect(422);
      expect(res.body).toMatchObject({
        type: expect.stringContaining('not-a-co-member'),
        errors: [{ field: 'partners[1]', message: expect.stringContaining('BN') }],
      });
      expect(JSON.stringify(res.body)).not.toMatch(/hit/i);
      expect(
        await t.dataSource.query(
          `SELECT 1 FROM identifier_check WHERE asker_country = 'KR' AND identifier_count = 1 AND asked_at > now() - interval '2 seconds'`,
        ),
      ).toEqual([]);
      await tf['kr.officer']
        .post('/identifier-checks', { partners: ['KR'], identifiers: [{ kind: 'phone', value: phone(1) }] })
        .expect(422);
    });
  });

  describe('bad input', () => {
    it.each([
      ['identifiers is not an array', { partners: ['KH'], identifiers: 'x' }],
      ['a value is a number', { partners: ['KH'], identifiers: [{ kind: 'phone', value: 85512345678 }] }],
      [
        'a value holds a NUL',
        { partners: ['KH'], identifiers: [{ kind: 'phone', value: '+855\u000012345678' }] },
      ],
      [
        'a value holds an escape',
        { partners: ['KH'], identifiers: [{ kind: 'compound', value: 'Golden\u001b[2J' }] },
      ],
      [
        'a value expands past the limit',
        { partners: ['KH'], identifiers: [{ kind: 'compound', value: '\ufdfa'.repeat(20) }] },
      ],
      ['an unknown kind', { partners: ['KH'], identifiers: [{ kind: 'email', value: 'a@b.example' }] }],
      ['an unknown field', { partners: ['KH'], identifiers: [{ kind: 'phone', value: phone(1), id: 1 }] }],
      [
        'partners is an object',
        { partners: { KH: true }, identifiers: [{ kind: 'phone', value: phone(1) }] },
      ],
      ['partners repeat', { partners: ['KH', 'KH'], identifiers: [{ kind: 'phone', value: phone(1) }] }],
      [
        '1,001 identifiers',
        { partners: ['KH'], identifiers: range(0, 1001).map((i) => ({ kind: 'phone', value: phone(i) })) },
      ],
      ['null body members', { partners: null, identifiers: null }],
    ])('%s: 400 with a machine-readable body', async (_, body) => {
      const res = await tf['kr.officer'].post('/identifier-checks', body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors.length).toBeGreaterThan(0);
      expect(res.body.errors[0]).toEqual({ field: expect.any(String), message: expect.any(String) });
    });
  });

  describe('automatic answers switched off', () => {
    const put = (who: SignedIn, frameworkId: string, autoAnswer: boolean) =>
      who.put(`/identifier-checks/settings/${frameworkId}`, { autoAnswer });

    it("answers 'not answered', not 'no hit', when the partner switched them off under every framework joining the two", async () => {
      const khAdmin = await signIn(t.server, 'kh.admin');
      await person(tf['kh.officer'], [phone(950)]);
      // Off in the multilateral body: KH still answers KR under their bilateral task force.
      await put(khAdmin, multilateral, false).expect(200);
      const viaBilateral = await check(tf['kr.officer'], ['KH'], [phone(950)]);
      expect(viaBilateral.partners).toEqual([
        { country: 'KH', answered: true, frameworkId: tf.cambodiaKoreaFramework, hits: 1 },
      ]);

      await put(khAdmin, tf.cambodiaKoreaFramework, false).expect(200);
      const off = await check(tf['kr.officer'], ['KH'], [phone(950), phone(951)]);
      expect(off.partners).toEqual([{ country: 'KH', answered: false, frameworkId: null, hits: 0 }]);
      expect(off.results.map((r) => r.answers)).toEqual([
        [{ country: 'KH', answer: 'not_answered' }],
        [{ country: 'KH', answer: 'not_answered' }],
      ]);
      const settings = (await khAdmin.get('/identifier-checks/settings').expect(200)).body;
      expect(settings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ frameworkId: multilateral, autoAnswer: false }),
          expect.objectContaining({ frameworkId: tf.cambodiaKoreaFramework, autoAnswer: false }),
        ]),
      );
      // A framework KH is not a member of reads as absent; officers may not change settings.
      await put(khAdmin, malaysiaKorea, false).expect(404);
      await put(tf['kh.officer'] as SignedIn, multilateral, true).expect(403);
      await put(khAdmin, tf.cambodiaKoreaFramework, true).expect(200);
    });
  });
});
