import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * One rule for "an arrest share shares the person": the release rule weighs the arrested person's
 * documents and phones when an arrest is shared, records the person as released to that country, and
 * `personSeenSince` (the person's `createdAt` for it) counts the share as the person's arrival, as the
 * README says ("an arrest share"). `personScope` did not: the country the arrest was shared with read the
 * person's names inside the arrest, but `GET /persons/:id` answered 404 and search did not find it.
 * A country the arrest was not shared with still learns nothing.
 */
describe('A person reached by a shared arrest is read as a person received', () => {
  let t: TestApp;
  let tf: TaskForce;
  let arrest: { id: string; person: { id: string } };
  const passport = 'N4477120';
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    arrest = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-11-20T02:30:00Z',
          place: 'Bavet compound, block D',
          grounds: 'Online fraud',
          arrestingAgency: 'Cambodian National Police',
          nationality: 'KR',
          person: {
            names: [{ full: 'YOON Arrested', script: 'latin', kind: 'primary' }],
            nationalities: ['KR'],
            documents: [{ type: 'passport', number: passport, issuingCountry: 'KR' }],
          },
        })
        .expect(201)
    ).body;
  });
  afterAll(() => t?.close());

  it('before the share KR reads nothing of the person; after it, the person as received, from the share on', async () => {
    await tf['kr.officer'].get(`/persons/${arrest.person.id}`).expect(404);
    await tf['kh.liaison'].post(`/arrests/${arrest.id}/shares`, { countryCode: 'KR' }).expect(200);
    const [{ shared_at }] = await t.dataSource.query(
      `SELECT shared_at FROM arrest_share WHERE arrest_id = $1 AND country_code = 'KR'`,
      [arrest.id],
    );

    const read = await tf['kr.officer'].get(`/persons/${arrest.person.id}`);
    expect({ status: read.status, documents: read.body.documents, version: read.body.version }).toEqual({
      status: 200,
      documents: [expect.objectContaining({ number: passport })],
      version: null,
    });
    expect(new Date(read.body.createdAt).getTime()).toBe(new Date(shared_at).getTime());
    const found = (await tf['kr.officer'].get(`/persons?document=${passport}`).expect(200)).body.items;
    expect(found.map((p: { id: string }) => p.id)).toEqual([arrest.person.id]);
  });

  it('a country the arrest was not shared with still reads nothing of the person', async () => {
    await tf['my.officer'].get(`/persons/${arrest.person.id}`).expect(404);
    const found = (await tf['my.officer'].get(`/persons?document=${passport}`).expect(200)).body.items;
    expect(found).toEqual([]);
  });
});
