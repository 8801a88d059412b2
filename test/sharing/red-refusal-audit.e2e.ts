import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { frameworkId, RELEASE_REFUSED } from './support';

/**
 * Probe r3 (left open, now closed): KH asks KR under RED naming a phone, so in KR only the request's
 * named recipients (its liaisons and assigned officer) read that KH gave it. The assigned officer who
 * writes the phone into a request to MY is refused, and the refusal's audit event was owned by KH: KR's auditors,
 * who are not among RED's recipients, read that KH was the source. Now they read the refusal (their
 * country's act) without its owner; KH's auditors read it whole.
 */
describe('A refusal to pass on a RED value does not name its source to the refused country’s auditors', () => {
  let t: TestApp;
  let tf: TaskForce;
  const phone = '+85511223344';
  const amberPhone = '+85599887766';

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const given = givenIn(tf);
    await given
      .anInformationRequest()
      .from('KH')
      .sentTo('KR')
      .handledAs('RED')
      .with({ subject: 'Who uses this phone?', questions: ['Subscriber?'], identifiers: { phones: [phone] } })
      .assignedTo('kr.officer');
    await given
      .anInformationRequest()
      .from('KH')
      .sentTo('KR')
      .handledAs('AMBER+STRICT')
      .with({ subject: 'And this one?', questions: ['Subscriber?'], identifiers: { phones: [amberPhone] } })
      .accepted();
  }, 120_000);
  afterAll(() => t?.close());

  it('KR’s auditors read the refusal of the RED phone without KH; KH’s auditors read it as KH’s', async () => {
    const krMy = await frameworkId(t, 'Korea–Malaysia');
    for (const number of [phone, amberPhone]) {
      const refused = await tf['kr.officer'].post('/information-requests', {
        frameworkId: krMy,
        targetCountry: 'MY',
        priority: 'urgent',
        handlingCode: 'AMBER',
        subject: 'Mule phones',
        questions: ['Who holds this?'],
        identifiers: { phones: [number] },
      });
      expect([refused.status, refused.body.type]).toEqual([409, RELEASE_REFUSED]);
    }

    type Event = { action: string; ownerCountry: string | null; details: Record<string, unknown> };
    const refusals = async (who: 'kr.auditor' | 'kh.auditor') =>
      (
        (await tf[who].get('/audit-events?action=release.refused&limit=200').expect(200)).body
          .items as Event[]
      ).map((e) => ({ owner: e.ownerCountry, red: JSON.stringify(e.details).includes('"withheld":true') }));
    // KR's own act, two events: the AMBER+STRICT phone's names KH (KR received it openly), the RED one's does not.
    expect(await refusals('kr.auditor')).toEqual(
      expect.arrayContaining([
        { owner: null, red: true },
        { owner: 'KH', red: false },
      ]),
    );
    expect((await refusals('kr.auditor')).filter((e) => e.red && e.owner !== null)).toEqual([]);
    expect(await refusals('kh.auditor')).toEqual(expect.arrayContaining([{ owner: 'KH', red: true }]));
  });
});
