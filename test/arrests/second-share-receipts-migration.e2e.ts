import { DropSecondArrestShareReceipts1763801130000 } from '../../migrations/1763801130000-DropSecondArrestShareReceipts';
import { RELEASE_REFUSED } from '../sharing/support';
import { signIn, SignedIn } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Migration 1763801130000 (probe race 2): a second share of an arrest with KH, under a looser code than
 * the share KH holds (`AMBER+STRICT`), used to record KH's receipt of the person under that code too
 * (`CLEAR`), and KH could pass the person on. Current code refuses the second share (409), so the old
 * receipt is written here by SQL, as the old `ReleaseService.shareArrest` wrote it. The migration deletes
 * it and keeps the share's own: KH's onward share to MY is refused again.
 */
describe('Migration: receipts of a second share of an arrest under another code are deleted', () => {
  let t: TestApp;
  const as: Record<string, SignedIn> = {};
  let arrest: { id: string; person: { id: string } };
  const codes = async () =>
    (
      await t.dataSource.query(
        `SELECT handling_code FROM person_provenance WHERE person_id = $1 AND receiving_country = 'KH' ORDER BY id`,
        [arrest.person.id],
      )
    ).map((r: { handling_code: string }) => r.handling_code);
  const onwardToMy = async (title: string) => {
    const kase = (await as['kh.officer'].post('/cases', { title }).expect(201)).body;
    await as['kh.officer']
      .post(`/cases/${kase.id}/persons`, { persons: [{ personId: arrest.person.id, role: 'suspect' }] })
      .expect(201);
    const res = await as['kh.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' });
    return { status: res.status, type: res.body.type };
  };
  let before: { codes: string[]; onward: { status: number; type?: string }; again: number };

  beforeAll(async () => {
    // The demo as `npm start` seeds it: KH and MY are both members of the multilateral body.
    t = await createTestApp({}, {}, 'demo');
    for (const name of ['kr.officer', 'kr.liaison', 'kh.officer', 'kh.liaison'])
      as[name] = await signIn(t.server, name);
    arrest = (
      await as['kr.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: 'Seoul Gangnam-gu',
          grounds: 'Voice phishing',
          arrestingAgency: 'Korean National Police Agency',
          nationality: 'KH',
          person: { names: [{ full: 'SOK Secondshare', script: 'latin', kind: 'primary' }] },
        })
        .expect(201)
    ).body;
    await as['kr.liaison']
      .post(`/arrests/${arrest.id}/shares`, { countryCode: 'KH', handlingCode: 'AMBER+STRICT' })
      .expect(200);
    const again = (
      await as['kr.liaison'].post(`/arrests/${arrest.id}/shares`, {
        countryCode: 'KH',
        handlingCode: 'CLEAR',
      })
    ).status;
    await t.dataSource.query(
      `INSERT INTO person_provenance (person_id, receiving_country, released_by_country, originator_country,
                                      handling_code, via_type, via_id, released_by)
       SELECT person_id, receiving_country, released_by_country, originator_country, 'CLEAR', via_type, via_id, released_by
         FROM person_provenance WHERE person_id = $1 AND receiving_country = 'KH'`,
      [arrest.person.id],
    );
    before = { codes: await codes(), onward: await onwardToMy('Onward before'), again };
    const runner = t.dataSource.createQueryRunner();
    try {
      await new DropSecondArrestShareReceipts1763801130000().up(runner);
    } finally {
      await runner.release();
    }
  }, 120_000);
  afterAll(() => t?.close());

  it('a second share under another code is refused now (409), and KH’s receipt stays the share’s', () => {
    expect(before.again).toBe(409);
  });

  it('before the migration, the old second receipt let KH pass the person on to MY', () => {
    expect(before.codes).toEqual(['AMBER+STRICT', 'CLEAR']);
    expect(before.onward).toEqual({ status: 201, type: undefined });
  });

  it('deletes it and keeps the share’s own: KH’s next onward share is refused (409)', async () => {
    expect(await codes()).toEqual(['AMBER+STRICT']);
    expect(await onwardToMy('Onward after')).toEqual({ status: 409, type: RELEASE_REFUSED });
  });
});
