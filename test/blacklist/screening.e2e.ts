import { createTestApp, TestApp } from '../support/test-app';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { keyCounts, lee, proposedAndAccepted, threeSuspects } from '../support/blacklist-scenario';
import { rebuildSearchKeys } from '../../src/blacklist/rebuild-search-keys';
import { setEntryKeys } from '../../src/blacklist/entry-index';
import { reindexActiveEntriesWhoseNamesMatch } from '../../src/blacklist/rebuild-search-keys';
import { CantoneseReadingKeys1763801230000 } from '../../migrations/1763801230000-CantoneseReadingKeys';
import { retrievalFormsOf } from '../../src/screening/matching';
import { RescreeningService } from '../../src/screening/rescreening.service';
import { BlacklistAmendmentsService } from '../../src/blacklist/blacklist-amendments.service';

describe('Border screening against the active blacklist', () => {
  let t: TestApp;
  let tf: TaskForce;
  let khScreener: SignedIn;
  let myScreener: SignedIn;
  let ids: { lee: string; park: string; choi: string };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    khScreener = await signIn(t.server, 'kh.screener');
    myScreener = await signIn(t.server, 'my.screener');
    // KR proposes three (one filed in Hangul); KH activates two and rejects one, then lifts one.
    const { proposal } = await proposedAndAccepted(tf, threeSuspects(tf.cambodiaKoreaFramework));
    const [lee, park, choi] = proposal.entries;
    ids = { lee: lee.id, park: park.id, choi: choi.id };
    const activate = { legalBasis: 'Immigration Law art. 29', expiresOn: '2031-12-31' };
    await tf['kh.liaison']
      .post(`/blacklist-entries/${lee.id}/activate`, { version: 1, ...activate })
      .expect(200);
    await tf['kh.liaison']
      .post(`/blacklist-entries/${park.id}/activate`, { version: 1, ...activate })
      .expect(200);
    await tf['kh.liaison']
      .post(`/blacklist-entries/${choi.id}/reject`, { version: 1, reason: 'Insufficient evidence' })
      .expect(200);
    await tf['kh.liaison']
      .post(`/blacklist-entries/${park.id}/lift`, { version: 2, reason: 'Arrested in Korea' })
      .expect(200);
  });
  afterAll(() => t?.close());

  const screen = (who: SignedIn, body: object) =>
    who.post('/screenings', { checkpoint: 'PNH-AIRPORT-ARR-3', ...body });

  it('finds the entry filed as 이재성 / Lee Jae-seong when the passport reads RHEE Jae Seong', async () => {
    const res = await screen(khScreener, {
      names: [{ full: 'RHEE Jae Seong', family: 'RHEE', given: 'Jae Seong' }],
      birthDate: '1985-03-14',
      nationality: 'KR',
    }).expect(201);
    expect(res.body.candidates).toHaveLength(1);
    const [hit] = res.body.candidates;
    expect(hit.entry).toMatchObject({
      entryId: ids.lee,
      groundsSummary: 'Voice-phishing ringleader (KR warrant 2026-112)',
      birthDate: '1985-03-14',
    });
    expect(hit.score).toBeGreaterThan(0.8);
    expect(hit.score).toBeLessThanOrEqual(1);
    expect(hit.band).toBe('alert');
    expect(hit.reasons.join(' | ')).toMatch(/date of birth/i);
    expect(JSON.stringify(hit.entry)).not.toMatch(/grounds"|legalBasis|warrant 2026-112.*Sihanoukville/);
  });

  it('an exact document number is a hit on its own', async () => {
    const res = await screen(khScreener, {
      names: [{ full: 'John Smith' }],
      document: { number: 'M1234-5678', issuingCountry: 'KR' },
    }).expect(201);
    expect(res.body.candidates.map((c: { entry: { entryId: string } }) => c.entry.entryId)).toEqual([
      ids.lee,
    ]);
    expect(res.body.candidates[0].reasons.join(' ')).toMatch(/document/i);
  });

  it('never offers the rejected or the lifted entry', async () => {
    for (const name of ['CHOI Young-soo', 'Choe Yeongsu', 'PARK Min-ho', 'Pak Minho']) {
      const res = await screen(khScreener, { names: [{ full: name }] }).expect(201);
      expect({ name, candidates: res.body.candidates }).toEqual({ name, candidates: [] });
    }
  });

  it('a MY screener finds nothing from the KR→KH list', async () => {
    const res = await screen(myScreener, {
      names: [{ full: 'Lee Jae-seong' }],
      document: { number: 'M12345678', issuingCountry: 'KR' },
    }).expect(201);
    expect(res.body.candidates).toEqual([]);
  });

  it('keeps every screening; a confirmed hit alerts both countries’ liaisons; a cleared one is marked next time', async () => {
    const first = (
      await screen(khScreener, {
        names: [{ full: 'Lee Jae Seong' }],
        document: { number: 'X99999999', issuingCountry: 'KR' },
      }).expect(201)
    ).body;
    const candidate = first.candidates[0];
    await khScreener
      .post(`/screenings/${first.id}/candidates/${candidate.id}/decision`, { decision: 'cleared' })
      .expect(400);
    await khScreener
      .post(`/screenings/${first.id}/candidates/${candidate.id}/decision`, {
        decision: 'cleared',
        reason: 'Different face, born 1999',
      })
      .expect(200);
    const again = (
      await screen(khScreener, {
        names: [{ full: 'Lee Jae Seong' }],
        document: { number: 'X99999999', issuingCountry: 'KR' },
      }).expect(201)
    ).body;
    expect(again.candidates[0]).toMatchObject({ previouslyCleared: true, entry: { entryId: ids.lee } });
    // The answer is built from what was scored, not read back: it must be what a later read shows.
    const reread = (await khScreener.get(`/screenings/${again.id}`).expect(200)).body;
    expect(again.candidates.length).toBeGreaterThan(0);
    expect(again).toEqual(reread);

    const real = (await screen(khScreener, { names: [{ full: '이재성' }], birthDate: '1985' }).expect(201))
      .body;
    await khScreener
      .post(`/screenings/${real.id}/candidates/${real.candidates[0].id}/decision`, { decision: 'confirmed' })
      .expect(200);
    await khScreener
      .post(`/screenings/${real.id}/candidates/${real.candidates[0].id}/decision`, { decision: 'confirmed' })
      .expect(409);
    for (const liaison of [tf['kh.liaison'], tf['kr.liaison']]) {
      const alerts = (await liaison.get('/screenings/alerts').expect(200)).body.items;
      expect(alerts).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            kind: 'confirmed_hit',
            entryId: ids.lee,
            checkpoint: 'PNH-AIRPORT-ARR-3',
          }),
        ]),
      );
    }
    expect((await tf['my.liaison'].get('/screenings/alerts').expect(200)).body.items).toEqual([]);
    await khScreener.get('/screenings/alerts').expect(403);
    const kept = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM screening WHERE country_code = 'KH'`,
    );
    expect(kept[0].n).toBeGreaterThanOrEqual(8);
    const audited = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'screening.run'`,
    );
    expect(audited[0].n).toBe(
      kept[0].n +
        (await t.dataSource.query(`SELECT count(*)::int AS n FROM screening WHERE country_code <> 'KH'`))[0]
          .n,
    );
  });

  it('pages the alerts newest first, so an older alert stays reachable', async () => {
    for (let n = 0; n < 3; n++) {
      const hit = (await screen(khScreener, { names: [{ full: '이재성' }], birthDate: '1985' }).expect(201))
        .body;
      await khScreener
        .post(`/screenings/${hit.id}/candidates/${hit.candidates[0].id}/decision`, { decision: 'confirmed' })
        .expect(200);
    }
    const liaison = tf['kh.liaison'];
    const whole = (await liaison.get('/screenings/alerts?limit=200').expect(200)).body;
    expect(whole.items.length).toBeGreaterThanOrEqual(4);
    const paged: Array<{ id: string; createdAt: string }> = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: string; createdAt: string }>; nextCursor: string | null } = (
        await liaison
          .get(`/screenings/alerts?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
          .expect(200)
      ).body;
      expect(page.items.length).toBe(1);
      paged.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged.map((a) => a.id)).toEqual(whole.items.map((a: { id: string }) => a.id));
    const times = paged.map((a) => a.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    const bad = await liaison.get('/screenings/alerts?cursor=not-a-cursor').expect(400);
    expect(JSON.stringify(bad.body)).toContain('cursor');
  });

  it('marks a candidate cleared before only for the same document, after the screening that cleared it', async () => {
    const traveller = (number?: string) => ({
      names: [{ full: 'Lee Jae Seong' }],
      ...(number ? { document: { number, issuingCountry: 'KR' } } : {}),
    });
    // Earlier screenings of the document, none cleared: the clearance is looked for among them all.
    for (let i = 0; i < 3; i++) await screen(khScreener, traveller('K-7000 1111')).expect(201);
    const cleared = (await screen(khScreener, traveller('K70001111')).expect(201)).body;
    expect(cleared.candidates[0]).toMatchObject({ previouslyCleared: false, entry: { entryId: ids.lee } });
    await khScreener
      .post(`/screenings/${cleared.id}/candidates/${cleared.candidates[0].id}/decision`, {
        decision: 'cleared',
        reason: 'Different face, born 1999',
      })
      .expect(200);
    // The screening that cleared it is not "before" itself.
    const clearing = (await khScreener.get(`/screenings/${cleared.id}`).expect(200)).body;
    expect(clearing.candidates[0]).toMatchObject({ previouslyCleared: false, decision: 'cleared' });

    const cases: Array<[string, string | undefined, boolean]> = [
      ['the same document, written another way', 'K7000-1111', true],
      ['another document', 'K70002222', false],
      ['no document', undefined, false],
    ];
    for (const [label, number, expected] of cases) {
      const answer = (await screen(khScreener, traveller(number)).expect(201)).body;
      const reread = (await khScreener.get(`/screenings/${answer.id}`).expect(200)).body;
      expect({ label, answer: answer.candidates[0].previouslyCleared }).toEqual({ label, answer: expected });
      expect({ label, reread: reread.candidates[0].previouslyCleared }).toEqual({ label, reread: expected });
    }
  });

  it('writes a screening, its candidates and its audit event together, once, with or without an Idempotency-Key', async () => {
    const body = {
      names: [{ full: 'Lee Jae Seong' }],
      document: { number: 'M12340001', issuingCountry: 'KR' },
    };
    const plain = (await screen(khScreener, body).expect(201)).body;
    const send = () => screen(khScreener, body).set('Idempotency-Key', 'key-0001-screening');
    const [first, replay] = [(await send().expect(201)).body, (await send().expect(201)).body];
    expect(replay).toEqual(first);
    for (const answer of [plain, first]) {
      expect(answer.candidates[0]).toMatchObject({ entry: { entryId: ids.lee } });
      // What the screener was shown is what was kept, and the event names the screening and its entries.
      expect((await khScreener.get(`/screenings/${answer.id}`).expect(200)).body).toEqual(answer);
      const events = await t.dataSource.query(
        `SELECT actor_username, owner_country, details FROM audit_event WHERE action = 'screening.run' AND record_id = $1`,
        [answer.id],
      );
      expect(events).toEqual([
        {
          actor_username: 'kh.screener',
          owner_country: 'KH',
          details: expect.objectContaining({
            checkpoint: 'PNH-AIRPORT-ARR-3',
            candidates: answer.candidates.length,
            entries: expect.arrayContaining([ids.lee]),
          }),
        },
      ]);
    }
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM screening WHERE document_key = 'M12340001'`,
    );
    expect(n).toBe(2);
  });

  it('re-screens the last 30 days when an entry becomes active', async () => {
    const traveller = { names: [{ full: 'NGUYEN Van Thanh' }], birthDate: '1990-07-01', nationality: 'VN' };
    const earlier = (await screen(khScreener, traveller).expect(201)).body;
    expect(earlier.candidates).toEqual([]);
    const { proposal } = await proposedAndAccepted(tf, {
      frameworkId: tf.cambodiaKoreaFramework,
      banningCountry: 'KH',
      entries: [
        {
          person: {
            names: [{ full: 'Nguyễn Văn Thành', script: 'latin', kind: 'primary' }],
            birthDate: '1990-07-01',
            nationalities: ['VN'],
          },
          grounds: 'Compound manager',
          groundsSummary: 'Compound manager',
        },
      ],
    });
    await tf['kh.liaison']
      .post(`/blacklist-entries/${proposal.entries[0].id}/activate`, {
        version: 1,
        legalBasis: 'Immigration Law art. 29',
        expiresOn: '2030-06-30',
      })
      .expect(200);
    // The activation only queued the re-screening: the match appears once the background job has run.
    expect((await khScreener.get(`/screenings/${earlier.id}`).expect(200)).body.candidates).toEqual([]);
    expect(await t.app.get(RescreeningService).runPending()).toBeGreaterThanOrEqual(1);
    const revisited = (await khScreener.get(`/screenings/${earlier.id}`).expect(200)).body;
    expect(revisited.candidates).toEqual([
      expect.objectContaining({
        foundBy: 'rescreen',
        entry: expect.objectContaining({ entryId: proposal.entries[0].id }),
      }),
    ]);
    const alerts = (await tf['kh.liaison'].get('/screenings/alerts').expect(200)).body.items;
    expect(alerts).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'rescreen_match', screeningId: earlier.id })]),
    );
  });

  it('refuses bad queries with 400 naming the field', async () => {
    const bad: Array<[object, string]> = [
      [{ names: [] }, 'names'],
      [{ names: [{ full: 'x'.repeat(2000) }] }, 'names[0].full'],
      [{ names: [{ full: 'Kim', given: '\uFDFD'.repeat(10) }] }, 'names[0].given'],
      [{ names: [{ full: 'Kim' }], birthDate: '2999-01-01' }, 'birthDate'],
      [{ names: [{ full: 'Kim', script: 'runic' }] }, 'names[0].script'],
      [{ names: [{ full: 'Kim' }], nationality: 'Korea' }, 'nationality'],
    ];
    for (const [body, field] of bad) {
      const res = await screen(khScreener, body);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const admin = await signIn(t.server, 'kh.admin');
    await admin.post('/screenings', { checkpoint: 'x', names: [{ full: 'Kim' }] }).expect(403);
  });

  it('follows a change of the person once the banning country accepts it: an alias the proposing country adds after activation', async () => {
    const traveller = { names: [{ full: 'SOK Dara' }] };
    expect((await screen(khScreener, traveller).expect(201)).body.candidates).toEqual([]);
    const [{ person_id: personId }] = await t.dataSource.query(
      `SELECT person_id FROM blacklist_entry WHERE id = $1`,
      [ids.lee],
    );
    const person = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;
    const alias = { full: 'Sok Dara', family: 'Sok', given: 'Dara', script: 'latin', kind: 'alias' };
    await tf['kr.officer']
      .patch(`/persons/${personId}`, { ...lee, names: [...lee.names, alias], version: person.version })
      .expect(200);
    await t.app.get(BlacklistAmendmentsService).runPending(); // proposes the amendment once the edit committed
    // KR's change is an amendment of KH's entry: nothing the checkpoints see changes until KH accepts it.
    expect((await screen(khScreener, traveller).expect(201)).body.candidates).toEqual([]);
    const [amendment] = (await tf['kh.liaison'].get(`/blacklist-entries/${ids.lee}/amendments`).expect(200))
      .body;
    expect(amendment).toMatchObject({ status: 'pending', changedFields: ['names'] });
    await tf['kh.liaison']
      .post(`/blacklist-entries/${ids.lee}/amendments/${amendment.id}/accept`, { version: amendment.version })
      .expect(200);

    const found = (await screen(khScreener, traveller).expect(201)).body.candidates;
    expect(found.map((c: { entry: { entryId: string } }) => c.entry.entryId)).toEqual([ids.lee]);
    expect(found[0].matchedNames.entry).toBe('Sok Dara');
  });

  it('keeps each search key’s count of holders equal to the active entries holding it', async () => {
    const { counted, held } = await keyCounts(t.dataSource);
    expect(counted.length).toBeGreaterThan(0);
    expect(counted).toEqual(held);
    // The lifted Park Min-ho entry took its keys' counts back down to zero.
    const lifted = await t.dataSource.query(
      `SELECT entries FROM blacklist_search_key_count WHERE banning_country = 'KH' AND key = 'j:parkminho'`,
    );
    expect(lifted).toEqual([{ entries: 0 }]);
  });

  it('keeps a screening profile for exactly the active entries, as their identities now are', async () => {
    const profiles = await t.dataSource.query(
      `SELECT s.entry_id, s.names, s.birth_date, s.documents FROM blacklist_screening_profile s ORDER BY 1`,
    );
    const active = await t.dataSource.query(
      `SELECT e.id AS entry_id, e.identity_names AS names, e.identity_birth_date AS birth_date,
              e.identity_documents AS documents
         FROM blacklist_entry e WHERE e.status = 'active' ORDER BY 1`,
    );
    const entryIds = profiles.map((p: { entry_id: string }) => p.entry_id);
    expect(entryIds).toContain(ids.lee);
    for (const gone of [ids.park, ids.choi]) expect(entryIds).not.toContain(gone); // lifted, rejected
    expect(profiles).toEqual(active);
    const leeNow = profiles.find((p: { entry_id: string }) => p.entry_id === ids.lee);
    expect(leeNow.names.map((n: { full: string }) => n.full)).toContain('Sok Dara');
    // The names' retrieval forms, for the pre-score in SQL: written on activation, again on the amendment.
    const forms = await t.dataSource.query(
      `SELECT s.entry_id, s.names, s.retrieval_forms FROM blacklist_screening_profile s ORDER BY 1`,
    );
    for (const profile of forms) expect(profile.retrieval_forms).toEqual(retrievalFormsOf(profile.names));
    const leeForms = forms.find((p: { entry_id: string }) => p.entry_id === ids.lee).retrieval_forms;
    expect(leeForms).toEqual(expect.arrayContaining(['sok tala', 'li cesunk']));
  });

  it('finds an entry indexed under older key rules again once its keys are rebuilt, as the migration does', async () => {
    const traveller = { names: [{ full: 'RHEE Jae Seong' }], birthDate: '1985-03-14' };
    await t.dataSource.query(`DELETE FROM blacklist_search_key WHERE entry_id = $1`, [ids.lee]);
    await t.dataSource.query(`INSERT INTO blacklist_search_key VALUES ($1, 'KH', 'w:old-rules')`, [ids.lee]);
    expect((await screen(khScreener, traveller).expect(201)).body.candidates).toEqual([]);

    await t.dataSource.transaction((manager) => rebuildSearchKeys(manager));

    const found = (await screen(khScreener, traveller).expect(201)).body.candidates;
    expect(found.map((c: { entry: { entryId: string } }) => c.entry.entryId)).toEqual([ids.lee]);
    const lifted = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM blacklist_search_key WHERE entry_id = $1`,
      [ids.park],
    );
    expect(lifted[0].n).toBe(0);
  });

  it('finds an entry whose recorded name holds a digit OCR misread once the migration re-keys such names', async () => {
    // Recorded under the rules of before, when a 6 split the word: "LEE JAE SEON6" keyed as "seon".
    await t.dataSource.query(
      `UPDATE blacklist_entry SET identity_names = '[{"full": "LEE JAE SEON6", "kind": "primary", "script": "latin"}]'
        WHERE id = $1`,
      [ids.lee],
    );
    await t.dataSource.transaction((m) => setEntryKeys(m, ids.lee, 'KH', ['w:seon']));
    const traveller = { names: [{ full: 'LEE JAE SEONG' }], birthDate: '1985-03-14' };
    expect((await screen(khScreener, traveller).expect(201)).body.candidates).toEqual([]);

    const reindexed = await t.dataSource.transaction((m) => reindexActiveEntriesWhoseNamesMatch(m, '[26]'));

    expect(reindexed).toBe(1);
    const found = (await screen(khScreener, traveller).expect(201)).body.candidates;
    expect(found.map((c: { entry: { entryId: string } }) => c.entry.entryId)).toEqual([ids.lee]);
    const { counted, held } = await keyCounts(t.dataSource);
    expect(counted).toEqual(held);
  });

  it('finds an entry written in Han characters by its Cantonese spelling once the migration re-keys it', async () => {
    await t.dataSource.query(
      `UPDATE blacklist_entry SET identity_names = '[{"full": "陈家辉", "kind": "primary", "script": "han"}]'
        WHERE id = $1`,
      [ids.lee],
    );
    // Keyed as before the Cantonese reading: pinyin only.
    await t.dataSource.transaction((m) => setEntryKeys(m, ids.lee, 'KH', ['w:chen', 'w:jia', 'w:hui']));
    const traveller = { names: [{ full: 'CHAN KA FAI' }], birthDate: '1985-03-14' };
    expect((await screen(khScreener, traveller).expect(201)).body.candidates).toEqual([]);

    const runner = t.dataSource.createQueryRunner();
    try {
      await new CantoneseReadingKeys1763801230000().up(runner);
    } finally {
      await runner.release();
    }

    const found = (await screen(khScreener, traveller).expect(201)).body.candidates;
    expect(found.map((c: { entry: { entryId: string } }) => c.entry.entryId)).toEqual([ids.lee]);
    const { counted, held } = await keyCounts(t.dataSource);
    expect(counted).toEqual(held);
  });
});
