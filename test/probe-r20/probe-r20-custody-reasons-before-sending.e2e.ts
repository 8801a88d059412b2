import { RELEASE_REFUSED } from '../sharing/support';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { custodyReasonsKrReads, khArrest, khCustodyStep, krShareWithMy } from './r20-support';

/**
 * Probe r20: KH arrests a Korean national and changes his custody twice, each reason naming a phone
 * number, before it sends KR a repatriation request for him. KR reads the arrest's steps from when the
 * arrest reached it (the sending, `arrestSeenSince`): the reasons written before are KH's own, and KR's
 * custody history shows neither. Yet the draft recorded them as received by KR (`releaseRequestArrests`
 * weighs the arrest's custody reasons with it), and the receipt counted once the request was sent:
 * KR's liaison sharing a KR case whose summary holds either number with MY was refused 409
 * `release-refused` — KR learned what KH's arrest said before it reached KR. The control: a reason
 * KH writes after the sending, which KR reads, is refused as ever. (Demo world: the multilateral body
 * joins KR and MY, and KR and KH.)
 */
describe('Probe r20: a custody reason written before the repatriation request reached KR', () => {
  let t: TestApp;
  let tf: TaskForce;
  let krReasons: Array<string | null>;

  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
    const arrest = await khArrest(
      tf,
      { arrestedAt: '2026-03-03T02:30:00Z', place: 'Kampot' },
      'KR',
      'KIM Before',
    );
    // Before any request: KH's own steps.
    await khCustodyStep(tf, arrest.id, 'charged', 'He called his handler on +85512000701');
    const given = givenIn(tf)
      .aRequest('repatriation')
      .from('KH')
      .sentTo('KR')
      .handledAs('AMBER')
      .with({ arrestIds: [arrest.id], subject: 'Repatriation r20' });
    await given.drafted();
    await given.sent();
    // After the sending: a step KR reads, with its reason (the control).
    await khCustodyStep(tf, arrest.id, 'detained', 'Moved after a call to +85512000703');
    krReasons = await custodyReasonsKrReads(tf, arrest.id);
  }, 120_000);
  afterAll(() => t?.close());

  it('KR reads the reason written after the sending only', () => {
    expect(krReasons).toContain('Moved after a call to +85512000703');
    expect(krReasons).not.toContain('He called his handler on +85512000701');
  });

  it('refuses KR passing on the number it read (the control)', async () => {
    expect(await krShareWithMy(tf, '+85512000703')).toEqual([409, RELEASE_REFUSED]);
  });

  it('takes the number of a reason KR never read as KR’s own', async () => {
    expect(await krShareWithMy(tf, '+85512000701')).toEqual([201, undefined]);
  });
});
