import { signIn, type SignedIn } from '../support/http';
import { aDraft } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r50, finding 1: a number a partner recorded of its own while another country's request naming it
 * was still a draft there. KH records a phone in a person of its own; it hits for checks (KH's own). KR
 * had drafted, before that, a request naming the same phone; once KR sends it, the receipt counts from
 * when the draft was written, not from when it reached KH, so KH's own holding turns into "received":
 * - a hidden recipient (MY) of KR's GREEN dispatch to KH and MY saw `hit` before the sending and `no_hit`
 *   after: MY learns that KH was asked too (probe r49's masking, reached through the back door);
 * - a country not asked at all (TH) saw `hit` turn `no_hit` when KR's AMBER request to KH was sent:
 *   TH learns that KH received something naming that phone under a restrictive code.
 * A receipt by request counts from the request's sending (as `personSeenSince` reads it): KH's own
 * number recorded before that stays its own.
 */
describe('Probe r50: a number recorded while another country’s request naming it was a draft stays the holder’s own', () => {
  let t: TestApp;
  const as: Record<string, SignedIn> = {};
  let body: string;
  const base = '/information-requests';
  const act = (who: string, id: string, action: string, version: number) =>
    as[who]!.post(`${base}/${id}/${action}`, { version }).expect(200);
  const answerOf = async (asker: string, phone: string) => {
    const view = (
      await as[asker]!.post('/identifier-checks', {
        partners: ['KH'],
        identifiers: [{ kind: 'phone', value: phone }],
      }).expect(201)
    ).body as { results: Array<{ answers: Array<{ country: string; answer: string }> }> };
    return view.results[0]!.answers.find((a) => a.country === 'KH')!.answer;
  };
  const khRecords = (phone: string) =>
    as['kh.officer']!.post('/persons', {
      names: [{ full: 'SOK Own', script: 'latin', kind: 'primary' }],
      nationalities: ['KH'],
      phones: [phone],
    }).expect(201);
  /** KR drafts; KH records the phone of its own; then KR submits and sends. */
  const draftedThenSent = async (phone: string, draft: object, between: () => Promise<void>) => {
    const drafted = (await as['kr.officer']!.post(base, aDraft(body, draft)).expect(201)).body;
    await khRecords(phone);
    await between();
    const submitted = (await act('kr.officer', drafted.id, 'submit', drafted.version)).body;
    await act('kr.liaison', drafted.id, 'approve', submitted.version);
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

  it('FINDING 1a: MY, a hidden recipient, keeps its hit at KH once KR’s dispatch to both is sent', async () => {
    const phone = '+85577905021';
    await draftedThenSent(
      phone,
      {
        targetCountry: 'KH',
        alsoTo: ['MY'],
        recipientsVisible: false,
        handlingCode: 'GREEN',
        identifiers: { phones: [phone] },
      },
      async () => expect(await answerOf('my.officer', phone)).toBe('hit'),
    );
    // On main: 'no_hit' — MY, which read the phone on its own thread, learns that KH was asked too.
    expect(await answerOf('my.officer', phone)).toBe('hit');
  });

  it('FINDING 1b: TH, not asked, keeps its hit at KH once KR’s AMBER request to KH is sent', async () => {
    const phone = '+85577905022';
    await draftedThenSent(
      phone,
      { targetCountry: 'KH', handlingCode: 'AMBER', identifiers: { phones: [phone] } },
      async () => expect(await answerOf('th.officer', phone)).toBe('hit'),
    );
    // On main: 'no_hit' — TH learns KH received something naming the phone under a restrictive code.
    expect(await answerOf('th.officer', phone)).toBe('hit');
  });

  it('control: a phone KH records only after the request reached it is received, and stays AMBER for TH', async () => {
    const phone = '+85577905023';
    const drafted = (
      await as['kr.officer']!.post(
        base,
        aDraft(body, { targetCountry: 'KH', handlingCode: 'AMBER', identifiers: { phones: [phone] } }),
      ).expect(201)
    ).body;
    const submitted = (await act('kr.officer', drafted.id, 'submit', drafted.version)).body;
    await act('kr.liaison', drafted.id, 'approve', submitted.version);
    await khRecords(phone);
    expect(await answerOf('th.officer', phone)).toBe('no_hit');
  });
});
