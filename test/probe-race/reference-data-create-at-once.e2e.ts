import { createTestApp, TestApp } from '../support/test-app';
import { signIn, SignedIn } from '../support/http';

/**
 * Probe race: the platform administrator's create of an agency or a cooperation framework, sent twice at
 * once (a double click, a retry). Each service checks "does it exist?" and then inserts, so the losers
 * of the race hit the unique constraints `agency_country_code_name_key` and `framework_name_key` and
 * answer 500, where the same create one at a time answers 409.
 */
describe('Reference data created twice at once', () => {
  let t: TestApp;
  let platform: SignedIn;
  beforeAll(async () => {
    t = await createTestApp();
    platform = await signIn(t.server, 'platform.admin');
  });
  afterAll(() => t?.close());

  const expectOneWinner = (
    responses: Array<{ status: number; body: any; headers: Record<string, string> }>,
  ) => {
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    for (const refused of responses.filter((r) => r.status !== 201)) {
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.body).toMatchObject({ type: 'urn:case-desk:problem:conflict', status: 409 });
    }
  };
  const successes = async (action: string) =>
    (
      await t.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_event WHERE action = $1 AND outcome = 'success'`,
        [action],
      )
    )[0].n as number;

  it('an agency: one 201, the others 409; one row, one audit event', async () => {
    for (let round = 0; round < 3; round++) {
      const name = `Border Police ${round}`;
      const before = await successes('agency.create');
      const responses = await Promise.all(
        Array.from({ length: 5 }, () => platform.post('/agencies', { countryCode: 'MY', name })),
      );
      expectOneWinner(responses);
      const rows = await t.dataSource.query(`SELECT id FROM agency WHERE country_code = 'MY' AND name = $1`, [
        name,
      ]);
      expect(rows).toHaveLength(1);
      expect((await successes('agency.create')) - before).toBe(1);
    }
  });

  it('a framework: one 201, the others 409; one row, one audit event', async () => {
    for (let round = 0; round < 3; round++) {
      const name = `Rapid desk ${round}`;
      const before = await successes('framework.create');
      const responses = await Promise.all(
        Array.from({ length: 5 }, () =>
          platform.post('/frameworks', { name, members: ['KR', 'MY'], validFrom: '2026-01-01' }),
        ),
      );
      expectOneWinner(responses);
      const rows = await t.dataSource.query(`SELECT id FROM framework WHERE name = $1`, [name]);
      expect(rows).toHaveLength(1);
      expect((await successes('framework.create')) - before).toBe(1);
    }
  });
});
