import { createTestApp, TestApp } from '../support/test-app';
import { taskForce, TaskForce } from '../support/scenario';
import { signIn, type SignedIn } from '../support/http';
import { proposedAndAccepted, threeSuspects } from '../support/blacklist-scenario';

/**
 * Probe r23: KH bans two of KR's suspects, then lifts one ban and the other runs past its expiry (the
 * hourly job that takes expired entries out of the index has not run yet). KH's checkpoint must stop
 * matching both at once; a hit on either can no longer be confirmed (so KR is told nothing new); and an
 * `Idempotency-Key` screening answered before, replayed after, hands back only what the same screener
 * was answered then and can still read on the screening itself — nothing it could not read any more.
 */
describe('A ban lifted or expired stops matching on every path at once', () => {
  let t: TestApp;
  let tf: TaskForce;
  let screener: SignedIn;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    screener = await signIn(t.server, 'kh.screener');
  });
  afterAll(() => t?.close());

  const park = {
    names: [{ full: 'PARK Min-ho' }],
    birthDate: '1979',
    nationality: 'KR',
    checkpoint: 'Phnom Penh International Airport',
  };
  const lee = {
    names: [{ full: 'Lee Jae-seong' }],
    birthDate: '1985-03-14',
    nationality: 'KR',
    document: { number: 'M12345678', issuingCountry: 'KR' },
    checkpoint: 'Phnom Penh International Airport',
  };
  const entryIds = (screening: { candidates: Array<{ entry: { entryId: string } }> }) =>
    screening.candidates.map((c) => c.entry.entryId);

  it('new screenings, decisions and keyed replays', async () => {
    const { proposal } = await proposedAndAccepted(tf, threeSuspects(tf.cambodiaKoreaFramework));
    // In the order proposed: LEE, PARK, CHOI.
    const [leeEntry, parkEntry] = (proposal.entries as Array<{ id: string }>).map((e) => e.id) as [
      string,
      string,
    ];
    for (const id of [parkEntry, leeEntry])
      await tf['kh.liaison']
        .post(`/blacklist-entries/${id}/activate`, {
          version: 1,
          legalBasis: 'Immigration Act s. 11',
          expiresOn: '2031-12-31',
        })
        .expect(200);

    const keyedPark = () => screener.post('/screenings', park).set('Idempotency-Key', 'r23-screen-park');
    const before = (await keyedPark().expect(201)).body;
    expect(entryIds(before)).toContain(parkEntry);
    const leeBefore = (await screener.post('/screenings', lee).expect(201)).body;
    expect(entryIds(leeBefore)).toContain(leeEntry);

    // KH lifts PARK's ban; LEE's runs out (a day later, before the hourly expiry job).
    const parkNow = (await tf['kh.liaison'].get(`/blacklist-entries/${parkEntry}`).expect(200)).body;
    await tf['kh.liaison']
      .post(`/blacklist-entries/${parkEntry}/lift`, { version: parkNow.version, reason: 'Warrant withdrawn' })
      .expect(200);
    // The date moves past the expiry: for the entry and its screening profile, which keeps a copy of it.
    await t.dataSource.query(`UPDATE blacklist_entry SET expires_on = current_date - 1 WHERE id = $1`, [
      leeEntry,
    ]);
    await t.dataSource.query(
      `UPDATE blacklist_screening_profile SET expires_on = current_date - 1 WHERE entry_id = $1`,
      [leeEntry],
    );

    // New screenings: neither matches any more.
    expect(entryIds((await screener.post('/screenings', park).expect(201)).body)).not.toContain(parkEntry);
    expect(entryIds((await screener.post('/screenings', lee).expect(201)).body)).not.toContain(leeEntry);

    // A hit found before can no longer be confirmed: no alert, nothing told to KR.
    const alertsBefore = (await tf['kr.liaison'].get('/screenings/alerts').expect(200)).body.items.length;
    for (const [screening, entry] of [
      [before, parkEntry],
      [leeBefore, leeEntry],
    ] as const) {
      const candidate = screening.candidates.find(
        (c: { entry: { entryId: string } }) => c.entry.entryId === entry,
      );
      const res = await screener.post(`/screenings/${screening.id}/candidates/${candidate.id}/decision`, {
        decision: 'confirmed',
      });
      expect(res.status).toBe(409);
    }
    expect((await tf['kr.liaison'].get('/screenings/alerts').expect(200)).body.items).toHaveLength(
      alertsBefore,
    );

    // The keyed replay: the first answer, exactly what the screening itself still shows this screener.
    const replay = await keyedPark().expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(before.id);
    const kept = (await screener.get(`/screenings/${before.id}`).expect(200)).body;
    const entriesOf = (s: { candidates: Array<{ entry: object }> }) => s.candidates.map((c) => c.entry);
    expect(entriesOf(replay.body)).toEqual(entriesOf(kept));
  });
});
