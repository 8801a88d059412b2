import { createTestApp, TestApp } from '../support/test-app';
import { signIn, SignedIn } from '../support/http';

/**
 * Probe race: two admins of a country (or one, twice) create an account with the same username at once.
 * The service checks "is the name taken?" and then inserts, so both pass the check and the second insert
 * hits the unique index `app_user_username_key`: a 500 where a second create one at a time gets 409.
 */
describe('Creating the same username at once', () => {
  let t: TestApp;
  let admins: SignedIn[];
  let khAgencyId: string;
  const password = 'a perfectly long new password';

  beforeAll(async () => {
    t = await createTestApp();
    const platform = await signIn(t.server, 'platform.admin');
    khAgencyId = (await t.dataSource.query(`SELECT id FROM agency WHERE country_code = 'KH'`))[0].id;
    await platform
      .post('/users', {
        username: 'kh.admin2',
        displayName: 'Second admin',
        agencyId: khAgencyId,
        roles: ['admin'],
        password,
      })
      .expect(201);
    admins = [await signIn(t.server, 'kh.admin'), await signIn(t.server, 'kh.admin2', password)];
  });
  afterAll(() => t?.close());

  it('one create wins; the others get 409 with a problem body, and one account and one audit event exist', async () => {
    for (let round = 0; round < 5; round++) {
      const username = `kh.twin${round}`;
      const body = { username, displayName: 'Twin', agencyId: khAgencyId, roles: ['officer'], password };
      const responses = await Promise.all(
        Array.from({ length: 6 }, (_, i) => admins[i % 2]!.post('/users', body)),
      );

      expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      for (const refused of responses.filter((r) => r.status !== 201)) {
        expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(refused.body).toMatchObject({ type: 'urn:case-desk:problem:conflict', status: 409 });
      }
      const accounts = await t.dataSource.query(`SELECT id FROM app_user WHERE lower(username) = $1`, [
        username,
      ]);
      expect(accounts).toHaveLength(1);
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_event WHERE action = 'user.create' AND outcome = 'success' AND record_id = $1`,
        [accounts[0].id],
      );
      expect(n).toBe(1);
    }
  });
});
