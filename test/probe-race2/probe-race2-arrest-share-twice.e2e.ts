import { createTestApp, TestApp } from '../support/test-app';
import { signIn, SignedIn } from '../support/http';

/**
 * Probe race 2: an arrest shared with the same country twice at once, under two handling codes.
 * KR's two liaisons share one arrest with KH at the same moment, one under `AMBER+STRICT` (KH may
 * never pass the person on), the other under `CLEAR`. Both answer 200; `arrest_share` keeps one code
 * (the first insert wins, `ON CONFLICT DO NOTHING`), but KH's `person_provenance` for the person gets
 * a row under each code, because `ReleaseService.shareArrest` (src/sharing/release.service.ts) records
 * the release (`release` → provenance) before `insertArrestShare` (src/sharing/provenance.store.ts)
 * finds the share already there, and `ArrestsService.share` (src/arrests/arrests.service.ts) keeps the
 * transaction of the losing call (no audit event, but its provenance row stays). KH then holds the
 * person under `CLEAR` too: when the share it holds is `AMBER+STRICT`, it can still link the person
 * into a KH case and share that case with MY (under the multilateral body), and MY reads the person.
 * The same happens one call after the other (share `AMBER+STRICT`, then again `CLEAR`: 200, a
 * `CLEAR` provenance row, the share still `AMBER+STRICT`), and every repeat adds a duplicate row; a
 * case share twice answers 409 instead (`insertCaseShare` checks first, under the case's lock).
 * Reproduce: this file (6 rounds; every round leaves both codes).
 * Suggested fix: in `ArrestsService.share`, lock the arrest (`SELECT … FOR UPDATE`) and refuse (409,
 * as for a case) or treat as a no-op an arrest already shared with the country before
 * `ReleaseService.shareArrest` records any release — or have `shareArrest` insert the share first and
 * record the release only when it inserted it.
 */
describe('An arrest shared with one country twice at once, under two handling codes', () => {
  let t: TestApp;
  const as: Record<string, SignedIn> = {};
  beforeAll(async () => {
    // The demo as `npm start` seeds it: KH and MY are both members of the multilateral body.
    t = await createTestApp({}, {}, 'demo');
    for (const name of ['kr.officer', 'kr.liaison', 'kr.liaison2', 'kh.officer', 'kh.liaison', 'my.liaison'])
      as[name] = await signIn(t.server, name);
  }, 120_000);
  afterAll(() => t?.close());

  it('KH holds the person under the code of the share it holds only, and passes on no AMBER+STRICT person', async () => {
    const rounds: string[] = [];
    for (let round = 0; round < 6; round++) {
      const arrest = (
        await as['kr.officer']
          .post('/arrests', {
            arrestedAt: '2026-03-01T02:30:00Z',
            place: 'Seoul Gangnam-gu',
            grounds: 'Voice phishing',
            arrestingAgency: 'Korean National Police Agency',
            nationality: 'KH',
            person: { names: [{ full: `SOK Twice Shared ${round}`, script: 'latin', kind: 'primary' }] },
          })
          .expect(201)
      ).body;
      const responses = await Promise.all([
        as['kr.liaison'].post(`/arrests/${arrest.id}/shares`, {
          countryCode: 'KH',
          handlingCode: 'AMBER+STRICT',
        }),
        as['kr.liaison2'].post(`/arrests/${arrest.id}/shares`, { countryCode: 'KH', handlingCode: 'CLEAR' }),
      ]);
      for (const r of responses) expect([200, 409]).toContain(r.status);
      const [{ handling_code: held }] = await t.dataSource.query(
        `SELECT handling_code FROM arrest_share WHERE arrest_id = $1 AND country_code = 'KH'`,
        [arrest.id],
      );
      const provenance = (
        await t.dataSource.query(
          `SELECT handling_code FROM person_provenance WHERE person_id = $1 AND receiving_country = 'KH' ORDER BY id`,
          [arrest.person.id],
        )
      ).map((r: { handling_code: string }) => r.handling_code);
      rounds.push(`share ${held}, KH holds the person under ${provenance.join(' + ')}`);

      if (held === 'AMBER+STRICT') {
        // KH may never pass the person on: a KH case holding it is not shared with MY.
        const kase = (await as['kh.officer'].post('/cases', { title: `Onward ${round}` }).expect(201)).body;
        await as['kh.officer']
          .post(`/cases/${kase.id}/persons`, { persons: [{ personId: arrest.person.id, role: 'suspect' }] })
          .expect(201);
        const onward = await as['kh.liaison'].post(`/cases/${kase.id}/shares`, {
          countryCode: 'MY',
          handlingCode: 'AMBER',
        });
        expect({ round, onward: onward.status, type: onward.body.type }).toEqual({
          round,
          onward: 409,
          type: 'urn:case-desk:problem:release-refused',
        });
        await as['my.liaison'].get(`/persons/${arrest.person.id}`).expect(404);
      }
    }
    // One provenance row per round, under the code of the share KH holds.
    expect(rounds).toEqual(
      rounds.map((r) => r.replace(/under .*/, `under ${r.match(/^share ([^,]+),/)![1]}`)),
    );
  }, 300_000);
});
