import { createTestApp, TestApp } from '../support/test-app';
import { signIn, SignedIn } from '../support/http';

/**
 * Probe race: two creates of one country code at once, with different names. One at a time, the second
 * is a 409 and the first name stays. At once, both check "does it exist?" before either commits; then
 * TypeORM's `save` (which itself selects the row by primary key and inserts or updates) lets the second
 * one overwrite the first one's name: two 201s, two `country.create` events, and the name first
 * answered is silently lost (src/reference-data/reference-data.service.ts, createCountry). When the
 * second save's insert waits on the first instead, it fails on the primary key: a 500.
 */
describe('One country created twice at once', () => {
  let t: TestApp;
  let platform: SignedIn;
  beforeAll(async () => {
    t = await createTestApp();
    platform = await signIn(t.server, 'platform.admin');
  });
  afterAll(() => t?.close());

  it('one create wins, the others get 409, and the winner’s name is the one kept', async () => {
    const existing = new Set(
      (await t.dataSource.query(`SELECT code FROM country`)).map((r: { code: string }) => r.code),
    );
    const free = ['JP', 'LA', 'MM', 'PH', 'SG', 'BN', 'QA', 'QB', 'QC', 'QD'].filter((c) => !existing.has(c));
    for (const code of free.slice(0, 4)) {
      const responses = await Promise.all(
        Array.from({ length: 5 }, (_, i) => platform.post('/countries', { code, name: `${code} name ${i}` })),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
      const winner = responses.find((r) => r.status === 201)!;
      for (const refused of responses.filter((r) => r !== winner))
        expect(refused.body).toMatchObject({ type: 'urn:case-desk:problem:conflict', status: 409 });
      const [row] = await t.dataSource.query(`SELECT name FROM country WHERE code = $1`, [code]);
      expect(row.name).toBe(winner.body.name);
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_event WHERE action = 'country.create' AND record_id = $1 AND outcome = 'success'`,
        [code],
      );
      expect(n).toBe(1);
    }
  });
});
