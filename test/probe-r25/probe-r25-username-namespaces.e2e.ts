import { signIn, SignedIn } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r25: usernames are unique across all countries (`app_user_username_key` on `lower(username)`:
 * sign-in takes a username alone). A KH admin choosing a name must never learn that KR uses it: for
 * every spelling of a name KR holds (as it is, upper-cased, padded with spaces) the answer is the one a
 * name nobody holds gets — the country-prefix refusal, before any look-up — also with KR's agency. Only
 * a name of KH's own namespace can be "taken" (409), and that is KH's own staff.
 */
describe('Probe r25: a username taken in another country reads as one never used', () => {
  let t: TestApp;
  let khAdmin: SignedIn;
  let agencyOf: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp();
    khAdmin = await signIn(t.server, 'kh.admin');
    const rows: Array<{ id: string; country_code: string }> = await t.dataSource.query(
      `SELECT id, country_code FROM agency WHERE country_code IN ('KR', 'KH')`,
    );
    agencyOf = Object.fromEntries(rows.map((r) => [r.country_code, r.id]));
  }, 60_000);
  afterAll(() => t?.close());

  const create = (username: string, agencyId: string) =>
    khAdmin.post('/users', {
      username,
      displayName: 'Probe r25',
      agencyId,
      roles: ['officer'],
      password: 'Quiet-Harbour-Lantern-2026',
    });
  /** Status and body of an answer, less what differs between any two answers. */
  const answer = (res: { status: number; body: Record<string, unknown> }) => {
    const { requestId: _r, instance: _i, ...rest } = res.body;
    return { status: res.status, body: rest };
  };

  it('answers for KR’s usernames exactly what it answers for names nobody holds', async () => {
    const [held] = await t.dataSource.query(`SELECT 1 FROM app_user WHERE username = 'kr.officer'`);
    expect(held).toBeDefined();
    for (const agency of ['KH', 'KR']) {
      for (const [taken, free] of [
        ['kr.officer', 'kr.nobody25'],
        ['KR.OFFICER', 'KR.NOBODY25'],
        ['  kr.liaison ', '  kr.nobody26 '],
        ['kr.admin', 'kr.nobody27'],
      ]) {
        const ofTaken = answer(await create(taken!, agencyOf[agency]!));
        const ofFree = answer(await create(free!, agencyOf[agency]!));
        expect(ofTaken.status).toBe(400);
        expect(ofTaken).toEqual(ofFree);
        expect(JSON.stringify(ofTaken.body)).not.toMatch(/taken|exists/i);
      }
    }
    // Nothing was created, and no KR account changed.
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM app_user WHERE username LIKE '%nobody%' OR display_name = 'Probe r25'`,
    );
    expect(n).toBe(0);
  });

  it('says "taken" only for a name of KH’s own namespace (control)', async () => {
    const res = await create('kh.officer', agencyOf.KH!);
    expect(res.status).toBe(409);
    expect(res.body.detail).toBe("The username 'kh.officer' is taken.");
    await create('kh.probe25', agencyOf.KH!).expect(201);
    expect((await create('KH.Probe25', agencyOf.KH!)).status).toBe(409);
  });
});
