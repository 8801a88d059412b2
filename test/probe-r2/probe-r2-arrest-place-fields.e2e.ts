import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { identifiersKhGaveKr, RELEASE_REFUSED } from '../sharing/support';

/**
 * Probe (round 2): KH gives KR an account number under AMBER+STRICT. Written into an arrest's `grounds`,
 * `place` or `operation`, the arrest's share with MY is refused (release-refused). Written into its
 * `province`, `district` or `arrestingAgency` — free text MY reads in the arrest just the same — the
 * share goes and MY reads the number. `ReleaseService` weighs only grounds, place and operation
 * (`releaseArrestText`'s callers and `releaseRequestArrests`' SQL), so a repatriation request carrying
 * the arrest is likely open the same way.
 * Fix: src/sharing/release.service.ts — weigh every free-text column of an arrest (province, district,
 * arresting_agency too), in the share path and in releaseRequestArrests.
 */
describe('Probe r2: an arrest’s province, district and arresting agency are not weighed on a share', () => {
  let t: TestApp;
  let tf: TaskForce;
  const account = '918273645501';

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await identifiersKhGaveKr(tf, 'AMBER+STRICT', {
      bankAccounts: [{ institution: 'ABA Bank', accountNumber: account }],
    });
  }, 120_000);
  afterAll(() => t?.close());

  /** KR records an arrest with the number written into `field`, then shares it with MY. */
  const shareWith = async (field: string) => {
    const arrest = (
      await tf['kr.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: 'Incheon',
          grounds: 'Online fraud',
          arrestingAgency: 'KNP',
          nationality: 'KH',
          person: { names: [{ full: `LIM ${field}`, script: 'latin', kind: 'primary' }] },
          [field]: `Paid from ${account}`,
        })
        .expect(201)
    ).body as { id: string };
    const shared = await tf['kr.liaison'].post(`/arrests/${arrest.id}/shares`, { countryCode: 'MY' });
    const myView = await tf['my.officer'].get(`/arrests/${arrest.id}`);
    return `${shared.status} ${shared.body.type ?? ''} / MY ${myView.status}`;
  };

  it('refuses the share when the number is in grounds (the rule works)', async () => {
    expect(await shareWith('grounds')).toBe(`409 ${RELEASE_REFUSED} / MY 404`);
  });

  it('refuses the share when the number is in province, district or arresting agency', async () => {
    const seen = {
      province: await shareWith('province'),
      district: await shareWith('district'),
      arrestingAgency: await shareWith('arrestingAgency'),
    };
    expect(seen).toEqual({
      province: `409 ${RELEASE_REFUSED} / MY 404`,
      district: `409 ${RELEASE_REFUSED} / MY 404`,
      arrestingAgency: `409 ${RELEASE_REFUSED} / MY 404`,
    });
  });
});
