import { RELEASE_REFUSED } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { custodyReasonsKrReads, khArrest, khCustodyStep, krShareWithMy } from './r20-support';

/**
 * Probe r20: the arrest-share form of `probe-r20-custody-reasons-before-sending`. KH changes an
 * arrest's custody with a reason naming a phone number, then shares the arrest with KR. KR reads the
 * arrest's steps from the share on (`arrestSeenSince`): that reason never reaches it. The share recorded
 * it as received by KR all the same (`arrestTextsFor` counted every told custody reason as reaching the
 * recipient), so KR sharing a KR case whose summary holds the number with MY was refused 409
 * `release-refused`. A reason written after the share, which KR reads, is the control.
 */
describe('Probe r20: a custody reason written before the arrest was shared with KR', () => {
  let t: TestApp;
  let tf: TaskForce;
  let krReasons: Array<string | null>;

  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
    const arrest = await khArrest(
      tf,
      { arrestedAt: '2026-03-04T02:30:00Z', place: 'Sihanoukville' },
      'KH',
      'SOK Before',
    );
    await khCustodyStep(tf, arrest.id, 'charged', 'He called his handler on +85512000711');
    await tf['kh.liaison']
      .post(`/arrests/${arrest.id}/shares`, { countryCode: 'KR', handlingCode: 'AMBER' })
      .expect(200);
    await khCustodyStep(tf, arrest.id, 'detained', 'Moved after a call to +85512000713');
    krReasons = await custodyReasonsKrReads(tf, arrest.id);
  }, 120_000);
  afterAll(() => t?.close());

  it('KR reads the reason written after the share only', () => {
    expect(krReasons).toEqual(['Moved after a call to +85512000713']);
  });

  it('refuses KR passing on the number it read (the control)', async () => {
    expect(await krShareWithMy(tf, '+85512000713')).toEqual([409, RELEASE_REFUSED]);
  });

  it('takes the number of a reason KR never read as KR’s own', async () => {
    expect(await krShareWithMy(tf, '+85512000711')).toEqual([201, undefined]);
  });
});
