import request from 'supertest';
import { signIn, type SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r58: a raid's CSV import refused by its last row (all or nothing) leaves nothing any country
 * reads: not the arresting country's arrests or persons, not another country's inbox or audit trail.
 * Compared with the same reads before the import.
 */
describe('Probe r58: a raid import refused by its last row', () => {
  let t: TestApp;
  let tf: TaskForce;
  let th: SignedIn;
  let thAuditor: SignedIn;
  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
    th = await signIn(t.server, 'th.officer');
    thAuditor = await signIn(t.server, 'th.auditor');
  }, 120_000);
  afterAll(() => t?.close());

  const header =
    'arrested_at,place,grounds,arresting_agency,nationality,full_name,document_type,document_number,document_country,case_id';
  const line = (n: number, nationality: string, caseId = '') =>
    `2026-03-11T01:00:00Z,Golden Fortune compound,Online fraud,GDNP,${nationality},PERSON IMPORT${n},passport,IMP${nationality}${n}58,${nationality},${caseId}`;

  it('writes nothing, tells nobody', async () => {
    const readers: Array<[string, SignedIn, string[]]> = [
      ['kh.officer', tf['kh.officer'], ['/arrests?limit=200', '/persons?name=IMPORT']],
      [
        'kh.auditor',
        tf['kh.auditor'],
        ['/audit-events?action=arrest.create', '/audit-events?action=person.create'],
      ],
      ['kr.officer', tf['kr.officer'], ['/notifications?limit=200', '/persons?name=IMPORT']],
      [
        'kr.auditor',
        tf['kr.auditor'],
        ['/audit-events?recordType=arrest', '/audit-events?recordType=person'],
      ],
      ['th.officer', th, ['/notifications?limit=200']],
      ['th.auditor', thAuditor, ['/audit-events?recordType=arrest', '/audit-events?recordType=person']],
    ];
    const snapshot = async () => {
      const out: Record<string, string> = {};
      for (const [name, who, paths] of readers)
        for (const path of paths) {
          const res = await who.get(path);
          const items = (res.body.items ?? []) as Array<{ action?: string; actor?: { username?: string } }>;
          // The readers' own reads (a search, a list, the trail) are the only events the reading adds.
          const own = (e: (typeof items)[number]) => readers.some(([n]) => n === e.actor?.username);
          out[`${name} ${path}`] = `${res.status} ${JSON.stringify(items.filter((e) => !own(e)))}`;
        }
      return out;
    };
    const before = await snapshot();
    const rows = [
      ...Array.from({ length: 12 }, (_, i) => line(i, ['KR', 'TH', 'MY', 'CN'][i % 4]!)),
      line(99, 'TH', '00000000-0000-4000-8000-000000000000'),
    ];
    const res = await request(t.server)
      .post('/api/v1/arrests/import')
      .set('Authorization', `Bearer ${tf['kh.officer'].tokens.accessToken}`)
      .set('Content-Type', 'text/csv')
      .send([header, ...rows].join('\n'));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ row: 14, field: 'case_id' })]);
    expect(await snapshot()).toEqual(before);
  });
});
