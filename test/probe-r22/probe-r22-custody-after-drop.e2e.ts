import { RELEASE_REFUSED } from '../sharing/support';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { krShareWithMy } from '../probe-r20/r20-support';

/**
 * Probe r22: KH arrests two Korean nationals and a Malaysian in one raid and sends KR a repatriation
 * request for the two Koreans. KR accepts; KH then drops one of them (charged locally) and keeps writing
 * custody steps for both. KR reads the steps of the person still travelling, and none of the dropped
 * person's after the drop (probe r7): so a reason KH writes after the drop never reaches KR, and
 * KR's share with MY of a number it names is KR's own (201), while the number of a reason KR read
 * stays refused (409). KR never reads the Malaysian's arrest.
 */
describe('Probe r22: custody reasons after a person is dropped from a repatriation request', () => {
  let t: TestApp;
  let tf: TaskForce;
  let krReasons: { kept: Array<string | null>; droppedStatus: number };
  let myArrestForKr: number;

  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
    const arrestOf = async (full: string, nationality: string) =>
      (
        await tf['kh.officer']
          .post('/arrests', {
            arrestedAt: '2026-03-03T02:30:00Z',
            place: 'Kampot compound',
            grounds: 'Online fraud',
            arrestingAgency: 'GDNP',
            nationality,
            person: { names: [{ full, script: 'latin', kind: 'primary' }], nationalities: [nationality] },
          })
          .expect(201)
      ).body;
    const kept = await arrestOf('KIM Travels', 'KR');
    const dropped = await arrestOf('LEE Stays', 'KR');
    const malaysian = await arrestOf('TAN Elsewhere', 'MY');
    const given = givenIn(tf)
      .aRequest('repatriation')
      .from('KH')
      .sentTo('KR')
      .handledAs('AMBER')
      .with({ arrestIds: [kept.id, dropped.id], subject: 'Repatriation r22' });
    const accepted = await given.accepted();
    const step = async (id: string, status: string, reason: string) => {
      const a = (await tf['kh.officer'].get(`/arrests/${id}`).expect(200)).body;
      const res = await tf['kh.officer'].post(`/arrests/${id}/custody`, {
        status,
        reason,
        version: a.version,
      });
      if (res.status !== 200) throw new Error(`custody ${status}: ${res.status} ${JSON.stringify(res.body)}`);
    };
    // Before the drop: a step of the dropped person KR reads (the control).
    await step(dropped.id, 'charged', 'Charged after a call to +85512000811');
    const r = (await tf['kh.liaison'].get(`/repatriation-requests/${accepted.id}`).expect(200)).body;
    await tf['kh.liaison']
      .post(`/repatriation-requests/${accepted.id}/drop`, {
        version: r.version,
        arrestId: dropped.id,
        reason: 'charged_locally',
      })
      .expect(200);
    // After the drop: KH's own again.
    await step(dropped.id, 'detained', 'Moved after a call to +85512000812');
    await step(kept.id, 'charged', 'Ready to fly, called +85512000813');
    const history = (await tf['kr.officer'].get(`/arrests/${kept.id}/custody`).expect(200)).body;
    krReasons = {
      kept: (history.items ?? history).map((h: { reason: string | null }) => h.reason),
      droppedStatus: (await tf['kr.officer'].get(`/arrests/${dropped.id}/custody`)).status,
    };
    myArrestForKr = (await tf['kr.officer'].get(`/arrests/${malaysian.id}`)).status;
  }, 120_000);
  afterAll(() => t?.close());

  it('KR reads the travelling person’s steps, not the dropped one’s nor the Malaysian’s arrest', () => {
    expect(krReasons.kept).toContain('Ready to fly, called +85512000813');
    expect(krReasons.droppedStatus).toBe(404);
    expect(myArrestForKr).toBe(404);
  });

  it('refuses KR passing on numbers it read (before the drop; the travelling person)', async () => {
    expect(await krShareWithMy(tf, '+85512000811')).toEqual([409, RELEASE_REFUSED]);
    expect(await krShareWithMy(tf, '+85512000813')).toEqual([409, RELEASE_REFUSED]);
  });

  it('takes the number of a reason written after the drop as KR’s own', async () => {
    expect(await krShareWithMy(tf, '+85512000812')).toEqual([201, undefined]);
  });
});
