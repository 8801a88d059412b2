import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * `GET /persons` and `GET /arrests` read a page from two branches (session 14): the reader's country's
 * own rows in order of their recording, and the rows that reached it from another country in order of
 * their arrival (`personSeenSince`, `arrestSeenSince`), merged. Here KH records three arrests first;
 * then KR records its own arrests while KH shares two of KH's, one at a time, in between. KR must read
 * them interleaved by when each reached it (never by when KH recorded them), and paging one row at a
 * time must walk every row once, in the order one long page shows.
 */
describe('Persons and arrests lists merge own and received rows in the order each reader reads them', () => {
  let t: TestApp;
  let tf: TaskForce;
  type Arrest = { id: string; person: { id: string } };
  const khArrests: Arrest[] = [];
  const krArrests: Arrest[] = [];

  const record = async (user: 'kh.officer' | 'kr.officer', name: string, nationality: string) =>
    (
      await tf[user]
        .post('/arrests', {
          arrestedAt: '2026-11-20T02:30:00Z',
          place: 'Bavet compound, block D',
          grounds: 'Online fraud',
          arrestingAgency: 'Joint raid',
          nationality,
          person: { names: [{ full: name, script: 'latin', kind: 'primary' }], nationalities: [nationality] },
        })
        .expect(201)
    ).body as Arrest;
  const share = (arrest: Arrest) =>
    tf['kh.liaison'].post(`/arrests/${arrest.id}/shares`, { countryCode: 'KR' }).expect(200);

  /** Every page of `path` at `limit` rows, following `nextCursor`. */
  async function walk(user: 'kh.officer' | 'kr.officer', path: string, limit: number) {
    const items: Array<{ id: string; createdAt: string }> = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 200; pages++) {
      const query: string = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const body = (await tf[user].get(`${path}?${query}`).expect(200)).body;
      items.push(...body.items);
      cursor = body.nextCursor;
      if (!cursor) return items;
    }
    throw new Error(`${path}: more than 200 pages`);
  }

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    for (const name of ['KH First', 'KH Second', 'KH Third'])
      khArrests.push(await record('kh.officer', name, 'KH'));
    krArrests.push(await record('kr.officer', 'KR First', 'KR'));
    await share(khArrests[1]!);
    krArrests.push(await record('kr.officer', 'KR Second', 'KR'));
    await share(khArrests[0]!);
    krArrests.push(await record('kr.officer', 'KR Third', 'KR'));
  });
  afterAll(() => t?.close());

  const ours = (ids: string[], among: string[]) => ids.filter((id) => among.includes(id));

  it.each([
    ['/arrests', (a: Arrest) => a.id],
    ['/persons', (a: Arrest) => a.person.id],
  ])(
    '%s: KR reads its own and the received interleaved by arrival; one row a page walks each once',
    async (path, idOf) => {
      const expected = [krArrests[2]!, khArrests[0]!, krArrests[1]!, khArrests[1]!, krArrests[0]!].map(idOf);
      const all = [...krArrests, ...khArrests].map(idOf);
      const long = await walk('kr.officer', path, 100);
      const paged = await walk('kr.officer', path, 1);

      expect(
        ours(
          long.map((i) => i.id),
          all,
        ),
      ).toEqual(expected); // KH's third, never shared, is not there
      expect(paged.map((i) => i.id)).toEqual(long.map((i) => i.id));
      expect(new Set(paged.map((i) => i.id)).size).toBe(paged.length);
      // Newest first by the time the reader reads, ties by id: the order a cursor follows.
      const times = paged.map((i) => new Date(i.createdAt).getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));
    },
  );

  it.each([
    ['/arrests', (a: Arrest) => a.id],
    ['/persons', (a: Arrest) => a.person.id],
  ])(
    '%s: KH, the owner, reads its own by recording, shares or not; KR’s unshared are not there',
    async (path, idOf) => {
      const long = await walk('kh.officer', path, 100);
      const paged = await walk('kh.officer', path, 2);
      expect(
        ours(
          long.map((i) => i.id),
          [...krArrests, ...khArrests].map(idOf),
        ),
      ).toEqual([khArrests[2]!, khArrests[1]!, khArrests[0]!].map(idOf));
      expect(paged.map((i) => i.id)).toEqual(long.map((i) => i.id));
    },
  );
});
