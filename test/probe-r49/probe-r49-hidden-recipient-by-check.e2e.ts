import { signIn, type SignedIn } from '../support/http';
import { aDraft } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r49, finding 1 (probe r48's observation): KR sends one GREEN information request to KH and MY
 * through the multilateral body, recipients hidden (`recipientsVisible: false`). KH writes the phone the
 * request named into a person of its own. MY, which read the same phone on its own thread, checks KH for
 * it (`POST /identifier-checks`) and got `hit`: KH holds a number only KR's dispatch gave it, so MY
 * learns that KH was asked too — what hidden recipients are there to keep from it. A copy a hidden
 * recipient received by the dispatch now counts, for another recipient's check, as held under a code it
 * may not pass to that recipient; the GREEN circle outside the dispatch (TH), visible recipients, and a
 * holding the recipient had before are answered as before.
 */
describe('Probe r49: a hit/no-hit check does not tell one hidden recipient of a dispatch that another was asked', () => {
  let t: TestApp;
  const as: Record<string, SignedIn> = {};
  let body: string;

  const base = '/information-requests';
  /** KR's dispatch to KH and MY under GREEN naming `phone`. */
  const dispatch = async (phone: string, recipientsVisible: boolean) => {
    const draft = (
      await as['kr.officer']!.post(
        base,
        aDraft(body, {
          targetCountry: 'KH',
          alsoTo: ['MY'],
          recipientsVisible,
          handlingCode: 'GREEN',
          subject: 'Who answers the compound’s desk phone?',
          questions: ['Subscriber of the phone named?'],
          identifiers: { phones: [phone] },
        }),
      ).expect(201)
    ).body;
    const submitted = (
      await as['kr.officer']!.post(`${base}/${draft.id}/submit`, { version: draft.version }).expect(200)
    ).body;
    await as['kr.liaison']!.post(`${base}/${draft.id}/approve`, { version: submitted.version }).expect(200);
  };
  const khRecords = async (phone: string) =>
    as['kh.officer']!.post('/persons', {
      names: [{ full: 'SOK Desk', script: 'latin', kind: 'primary' }],
      nationalities: ['KH'],
      phones: [phone],
    }).expect(201);
  const answerOf = async (asker: string, phone: string) => {
    const view = (
      await as[asker]!.post('/identifier-checks', {
        partners: ['KH'],
        identifiers: [{ kind: 'phone', value: phone }],
      }).expect(201)
    ).body as { results: Array<{ answers: Array<{ country: string; answer: string }> }> };
    return view.results[0]!.answers.find((a) => a.country === 'KH')!.answer;
  };

  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    for (const name of ['kr.officer', 'kr.liaison', 'kh.officer', 'my.officer', 'th.officer'])
      as[name] = await signIn(t.server, name);
    [{ id: body }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'International Investigative Body on Scam Compounds'`,
    );
  }, 90_000);
  afterAll(() => t?.close());

  it('FINDING 1: MY’s check does not find at KH the phone KR’s hidden dispatch gave them both', async () => {
    const phone = '+85577904949';
    await dispatch(phone, false);
    expect(await answerOf('my.officer', phone)).toBe('no_hit');
    await khRecords(phone);
    // On main: 'hit' — MY learns that KH was asked too.
    expect(await answerOf('my.officer', phone)).toBe('no_hit');
    // TH, a member of the body the dispatch did not ask, reads KH's GREEN holding as the circle allows.
    expect(await answerOf('th.officer', phone)).toBe('hit');
    // So does KR, the number's originator.
    expect(await answerOf('kr.officer', phone)).toBe('hit');
  });

  it('control: with the recipients visible, MY’s check finds it at KH (MY knows KH was asked)', async () => {
    const phone = '+85577904950';
    await dispatch(phone, true);
    await khRecords(phone);
    expect(await answerOf('my.officer', phone)).toBe('hit');
  });

  it('control: a phone KH recorded before the dispatch is its own and still hits for MY', async () => {
    const phone = '+85577904951';
    await khRecords(phone);
    await dispatch(phone, false);
    expect(await answerOf('my.officer', phone)).toBe('hit');
  });
});
