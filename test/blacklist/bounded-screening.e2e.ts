import { createTestApp, TestApp } from '../support/test-app';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { proposedAndAccepted } from '../support/blacklist-scenario';
import { queryKeys } from '../../src/screening/entry-keys';
import { matchingCacheBytes } from '../../src/screening/matching/bounded-memo';
import { RescreeningService } from '../../src/screening/rescreening.service';

// Issue 16: ~190 requests of ten names of U+FDFD exhausted the heap, and one activation re-prepared
// 30 days of screenings for 38 s with the server blocked.
const EXPANDING = '\uFDFD'.repeat(200);
const activation = { legalBasis: 'Immigration Law art. 29', expiresOn: '2031-12-31' };

describe('Bounded screening work: expanding names, background re-screening, batch activation', () => {
  let t: TestApp;
  let tf: TaskForce;
  let khScreener: SignedIn;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    khScreener = await signIn(t.server, 'kh.screener');
  });
  afterAll(() => t?.close());

  const suspect = (full: string, birthDate: string) => ({
    person: { names: [{ full, script: 'latin', kind: 'primary' }], birthDate, nationalities: ['KR'] },
    grounds: 'Compound recruiter.',
    groundsSummary: 'Recruiter',
  });

  it('answers a flood of expanding names with 400s naming the field, and the heap stays flat', async () => {
    const flood = () =>
      khScreener.post('/screenings', {
        checkpoint: 'PNH-AIRPORT-ARR-3',
        names: Array.from({ length: 10 }, () => ({ full: EXPANDING })),
      });
    await flood().expect(400); // warm-up: code paths compiled, pools open
    const heapBefore = process.memoryUsage().heapUsed;
    const started = Date.now();
    for (let i = 0; i < 190; i++) {
      const res = await flood();
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(
        Array.from({ length: 10 }, (_, at) => `names[${at}].full`),
      );
    }
    expect(Date.now() - started).toBeLessThan(60_000);
    // Refused names are never prepared nor cached; a generous bound for what the requests themselves leave.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
    const caches = matchingCacheBytes();
    expect(caches.total).toBeLessThanOrEqual(caches.cap);
    expect(caches.cap).toBeLessThanOrEqual(50 * 1024 * 1024);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM screening`);
    expect(n).toBe(0);
  });

  it('refuses an expanding name wherever names are written: persons, blacklist proposals, arrests', async () => {
    // No script label: the letters' own (Arabic) is read, and only the expansion is refused.
    const name = { full: EXPANDING, kind: 'primary' };
    const person = await tf['kr.officer']
      .post('/persons', { names: [name], nationalities: ['KR'] })
      .expect(400);
    expect(person.body.errors).toEqual([expect.objectContaining({ field: 'names[0].full' })]);
    const proposal = await tf['kr.officer']
      .post('/blacklist-entries/batch', {
        frameworkId: tf.cambodiaKoreaFramework,
        banningCountry: 'KH',
        entries: [{ ...suspect('Kim Minjun', '1990'), person: { names: [name] } }],
      })
      .expect(400);
    expect(proposal.body.errors.map((e: { field: string }) => e.field)).toContain(
      'entries[0].person.names[0].full',
    );
    const arrest = await tf['kh.officer']
      .post('/arrests', {
        arrestedAt: '2026-03-01T02:30:00Z',
        place: 'Golden Fortune compound',
        grounds: 'Online fraud',
        arrestingAgency: 'Cambodian National Police',
        nationality: 'KR',
        person: { names: [{ ...name, given: '張'.repeat(100) }] },
      })
      .expect(400);
    expect(arrest.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['person.names[0].full', 'person.names[0].given']),
    );
  });

  it('activates many entries at once, answers without re-screening, and the job then raises the alerts', async () => {
    const { proposal } = await proposedAndAccepted(tf, {
      frameworkId: tf.cambodiaKoreaFramework,
      banningCountry: 'KH',
      entries: [
        suspect('KANG Dongwon', '1981-02-03'),
        suspect('YOON Seoyeon', '1992-11-20'),
        suspect('HWANG Jinsoo', '1975-06-06'),
      ],
    });
    // Two of the three passed a checkpoint before the ban, among 3,000 other travellers of the month
    // (half kept before screenings stored their keys, so the job must score those too).
    for (const [full, birthDate] of [
      ['Kang Dong-won', '1981-02-03'],
      ['HWANG JIN SOO', '1975-06-06'],
    ])
      await khScreener
        .post('/screenings', { checkpoint: 'PNH-ARR-1', names: [{ full }], birthDate })
        .expect(201);
    const [{ id: screenerId }] = await t.dataSource.query(
      `SELECT id FROM app_user WHERE username = 'kh.screener'`,
    );
    const others = Array.from({ length: 3000 }, (_, i) => {
      const names = [{ full: `Traveller${i.toString(36)} Sok${(i * 7).toString(36)}` }];
      return { query: { checkpoint: 'PNH-ARR-1', names }, keys: i % 2 ? queryKeys(names) : null };
    });
    await t.dataSource.query(
      `INSERT INTO screening (country_code, screener_id, checkpoint, query, query_keys, created_at)
       SELECT 'KH', $1, 'PNH-ARR-1', x.query, x.keys, now() - interval '3 days'
         FROM jsonb_to_recordset($2::jsonb) AS x(query jsonb, keys text[])`,
      [screenerId, JSON.stringify(others)],
    );

    const res = await tf['kh.liaison']
      .post('/blacklist-entries/activate', {
        ...activation,
        entries: proposal.entries.map((e: { id: string; version: number }) => ({
          id: e.id,
          version: e.version,
        })),
      })
      .expect(200);
    expect(res.body.items.map((e: { status: string }) => e.status)).toEqual(['active', 'active', 'active']);
    const ids = proposal.entries.map((e: { id: string }) => e.id);
    const audited = await t.dataSource.query(
      `SELECT record_id FROM audit_event WHERE action = 'blacklist.entry.activate' AND record_id = ANY($1::text[])`,
      [ids],
    );
    expect(audited).toHaveLength(3);
    const rescreenAlerts = () =>
      t.dataSource.query(
        `SELECT c.entry_id FROM screening_alert a JOIN screening_candidate c ON c.id = a.candidate_id
          WHERE a.kind = 'rescreen_match' AND c.entry_id = ANY($1::uuid[]) ORDER BY c.entry_id`,
        [ids],
      );
    expect(await rescreenAlerts()).toEqual([]); // nothing ran on the request path

    expect(await t.app.get(RescreeningService).runPending()).toBe(2);
    expect((await rescreenAlerts()).map((r: { entry_id: string }) => r.entry_id).sort()).toEqual(
      [ids[0], ids[2]].sort(),
    );
    const tasks = await t.dataSource.query(
      `SELECT status, screenings_scored, matches FROM screening_rescreen WHERE entry_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(tasks.map((r: { status: string }) => r.status)).toEqual(['done', 'done', 'done']);
    // Only the screenings sharing a key with the entry, and those kept without keys, were scored.
    for (const task of tasks) expect(task.screenings_scored).toBeLessThan(1600);
    const [{ n: rescreenEvents }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'blacklist.entry.rescreen' AND record_id = ANY($1::text[])`,
      [ids],
    );
    expect(rescreenEvents).toBeGreaterThanOrEqual(3);
    const liaisonAlerts = (await tf['kh.liaison'].get('/screenings/alerts').expect(200)).body.items;
    expect(liaisonAlerts.filter((a: { kind: string }) => a.kind === 'rescreen_match')).toHaveLength(2);
    expect(await t.app.get(RescreeningService).runPending()).toBe(0); // done once, not again
  });

  it('activates all or none: a stale version refuses the batch, names the entry, and changes nothing', async () => {
    const { proposal } = await proposedAndAccepted(tf, {
      frameworkId: tf.cambodiaKoreaFramework,
      banningCountry: 'KH',
      entries: [suspect('SEO Minji', '1988-01-01'), suspect('JANG Wooyoung', '1986-05-05')],
    });
    const [first, second] = proposal.entries;
    const stale = await tf['kh.liaison']
      .post('/blacklist-entries/activate', {
        ...activation,
        entries: [
          { id: first.id, version: first.version },
          { id: second.id, version: second.version + 1 },
        ],
      })
      .expect(409);
    expect(stale.body.failedEntry).toEqual({ index: 1, id: second.id });
    const rows = await t.dataSource.query(`SELECT status FROM blacklist_entry WHERE id = ANY($1::uuid[])`, [
      [first.id, second.id],
    ]);
    expect(rows.map((r: { status: string }) => r.status)).toEqual(['proposed', 'proposed']);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'blacklist.entry.activate' AND record_id = ANY($1::text[])`,
      [[first.id, second.id]],
    );
    expect(n).toBe(0);
    const [{ n: tasks }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM screening_rescreen WHERE entry_id = ANY($1::uuid[])`,
      [[first.id, second.id]],
    );
    expect(tasks).toBe(0);

    const twice = await tf['kh.liaison']
      .post('/blacklist-entries/activate', {
        ...activation,
        entries: [first, first].map((e) => ({ id: e.id, version: e.version })),
      })
      .expect(400);
    expect(twice.body.errors).toEqual([expect.objectContaining({ field: 'entries[1].id' })]);
    await tf['kr.liaison']
      .post('/blacklist-entries/activate', {
        ...activation,
        entries: [{ id: first.id, version: first.version }],
      })
      .expect(403);
    await khScreener
      .post('/blacklist-entries/activate', {
        ...activation,
        entries: [{ id: first.id, version: first.version }],
      })
      .expect(403);
  });
});
