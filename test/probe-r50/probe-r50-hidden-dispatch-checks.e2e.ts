import { upload } from '../attachments/attachment-support';
import { signIn, type SignedIn } from '../support/http';
import { aDraft } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r50 (probe r49's "not tried"): a hit/no-hit check by one hidden recipient of a dispatch must not
 * tell it that another was asked, whichever way the number travelled:
 * - the reverse of r49: KH answers KR's hidden GREEN dispatch (to KH and MY) with a number of its own;
 *   KR writes it into a person of its own; MY checking KR for it would learn that KH answered (so was
 *   asked);
 * - a blacklist proposal to several countries: KR proposes a person to KH and MY under GREEN, recipients
 *   hidden; KH writes the passport into a person of its own; MY checking KH for it would learn KH was
 *   asked.
 * - a file on the dispatch: KR puts a statement naming an account on the draft (copied to every
 *   thread); KH writes the account into a person of its own; MY checking KH for it would learn KH was
 *   asked.
 * Controls: TH (a member of the body the dispatch did not ask) and the originator still get `hit`; with
 * the recipients visible MY gets `hit`.
 */
describe('Probe r50: checks by a hidden recipient, the answer’s direction and blacklist proposals', () => {
  let t: TestApp;
  const as: Record<string, SignedIn> = {};
  let body: string;
  const base = '/information-requests';

  const act = (who: string, path: string, id: string, action: string, version: number, extra: object = {}) =>
    as[who]!.post(`${path}/${id}/${action}`, { version, ...extra }).expect(200);
  const answerOf = async (asker: string, partner: string, identifier: object) => {
    const view = (
      await as[asker]!.post('/identifier-checks', { partners: [partner], identifiers: [identifier] }).expect(
        201,
      )
    ).body as { results: Array<{ answers: Array<{ country: string; answer: string }> }> };
    return view.results[0]!.answers.find((a) => a.country === partner)!.answer;
  };

  /** KR's GREEN information request to KH and MY; KH answers with `phone` (its own). */
  const answeredByKh = async (phone: string, recipientsVisible: boolean) => {
    const draft = (
      await as['kr.officer']!.post(
        base,
        aDraft(body, {
          targetCountry: 'KH',
          alsoTo: ['MY'],
          recipientsVisible,
          handlingCode: 'GREEN',
          subject: 'Who runs the compound’s payroll?',
          questions: ['Phone of the payroll clerk?'],
        }),
      ).expect(201)
    ).body;
    const submitted = (await act('kr.officer', base, draft.id, 'submit', draft.version)).body;
    const sent = (await act('kr.liaison', base, draft.id, 'approve', submitted.version)).body;
    const kh = sent.recipients.find((r: { country: string }) => r.country === 'KH').requestId;
    const seen = (await as['kh.liaison']!.get(`${base}/${kh}`).expect(200)).body;
    const accepted = (await act('kh.liaison', base, kh, 'accept', seen.version)).body;
    await act('kh.liaison', base, kh, 'fulfil', accepted.version, {
      findings: { summary: 'The clerk’s phone.', identifiers: { phones: [phone] } },
    });
    // KR writes the answer into a person of its own: it holds the number, received from KH.
    await as['kr.officer']!.post('/persons', {
      names: [{ full: 'PAYROLL Clerk', script: 'latin', kind: 'primary' }],
      nationalities: ['KH'],
      phones: [phone],
    }).expect(201);
  };

  /** KR proposes one person (passport `passport`) to KH and MY under GREEN; both sent. */
  const proposedToKhAndMy = async (passport: string, recipientsVisible: boolean) => {
    const proposal = (
      await as['kr.officer']!.post('/blacklist-entries/batch', {
        frameworkId: body,
        banningCountry: 'KH',
        alsoTo: ['MY'],
        recipientsVisible,
        handlingCode: 'GREEN',
        subject: 'Compound recruiter',
        entries: [
          {
            person: {
              names: [{ full: `KIM Recruiter ${passport}`, script: 'latin', kind: 'primary' }],
              nationalities: ['KR'],
              documents: [{ type: 'passport', number: passport, issuingCountry: 'KR' }],
            },
            grounds: 'Recruits for the compound.',
            groundsSummary: 'Recruiter',
          },
        ],
      }).expect(201)
    ).body;
    const submitted = (
      await act('kr.officer', '/blacklist-proposals', proposal.id, 'submit', proposal.version)
    ).body;
    await act('kr.liaison', '/blacklist-proposals', proposal.id, 'approve', submitted.version);
  };
  const khRecordsPassport = (passport: string) =>
    as['kh.officer']!.post('/persons', {
      names: [{ full: 'SOK Clerk', script: 'latin', kind: 'primary' }],
      nationalities: ['KH'],
      documents: [{ type: 'passport', number: passport, issuingCountry: 'KR' }],
    }).expect(201);

  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    for (const name of ['kr.officer', 'kr.liaison', 'kh.officer', 'kh.liaison', 'my.officer', 'th.officer'])
      as[name] = await signIn(t.server, name);
    [{ id: body }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'International Investigative Body on Scam Compounds'`,
    );
  }, 90_000);
  afterAll(() => t?.close());

  it('the answer’s direction: MY’s check of KR does not find the number KH answered KR’s hidden dispatch with', async () => {
    const phone = { kind: 'phone', value: '+85577905001' };
    await answeredByKh(phone.value, false);
    expect(await answerOf('my.officer', 'KR', phone)).toBe('no_hit');
    // TH, in the GREEN circle of KR and KH and not asked, and KH, the number's originator, find it.
    expect(await answerOf('th.officer', 'KR', phone)).toBe('hit');
    expect(await answerOf('kh.officer', 'KR', phone)).toBe('hit');
  });

  it('control: recipients visible, MY’s check of KR finds the number KH answered with', async () => {
    const phone = { kind: 'phone', value: '+85577905002' };
    await answeredByKh(phone.value, true);
    expect(await answerOf('my.officer', 'KR', phone)).toBe('hit');
  });

  it('a blacklist proposal to KH and MY: MY’s check of KH does not find the passport the proposal gave KH', async () => {
    const passport = { kind: 'passport', value: 'M50000001', issuingCountry: 'KR' };
    await proposedToKhAndMy(passport.value, false);
    await khRecordsPassport(passport.value);
    expect(await answerOf('my.officer', 'KH', passport)).toBe('no_hit');
    expect(await answerOf('th.officer', 'KH', passport)).toBe('hit');
    expect(await answerOf('kr.officer', 'KH', passport)).toBe('hit');
  });

  it('control: the proposal’s recipients visible, MY’s check of KH finds it', async () => {
    const passport = { kind: 'passport', value: 'M50000002', issuingCountry: 'KR' };
    await proposedToKhAndMy(passport.value, true);
    await khRecordsPassport(passport.value);
    expect(await answerOf('my.officer', 'KH', passport)).toBe('hit');
  });

  it('a freeze request goes to one country only: `alsoTo` is refused, so no freeze has hidden recipients', async () => {
    const refused = await as['kr.officer']!.post('/asset-freeze-requests', {
      frameworkId: body,
      targetCountry: 'KH',
      alsoTo: ['MY'],
      recipientsVisible: false,
      handlingCode: 'GREEN',
      subject: 'Payroll accounts',
      targets: [{ type: 'bank_account', bank: 'ABA', accountNumber: '000550011' }],
    });
    expect(refused.status).toBe(400);
    const fields = (refused.body.errors as Array<{ field: string }>).map((e) => e.field);
    expect(fields).toContain('alsoTo');
  });

  /** KR's GREEN information request to KH and MY carrying a statement that names `account`; both sent. */
  const fileToKhAndMy = async (account: string, recipientsVisible: boolean) => {
    const draft = (
      await as['kr.officer']!.post(
        base,
        aDraft(body, { targetCountry: 'KH', alsoTo: ['MY'], recipientsVisible, handlingCode: 'GREEN' }),
      ).expect(201)
    ).body;
    const statement = Buffer.from(`Date;Account;Amount\n04/03/2026;${account};12,500.00\n`);
    await upload(t, as['kr.officer']!, `${base}/${draft.id}/attachments`, statement, 'statement.csv').expect(
      201,
    );
    const submitted = (await act('kr.officer', base, draft.id, 'submit', draft.version)).body;
    await act('kr.liaison', base, draft.id, 'approve', submitted.version);
    await as['kh.officer']!.post('/persons', {
      names: [{ full: 'SOK Mule', script: 'latin', kind: 'primary' }],
      nationalities: ['KH'],
      accounts: [
        { type: 'bank_account', institutionName: 'ACLEDA', accountNumber: account.replace(/-/g, '') },
      ],
    }).expect(201);
  };

  it('a file on the dispatch: MY’s check of KH does not find the account only the statement gave KH', async () => {
    const account = '0071-5050-0001';
    await fileToKhAndMy(account, false);
    const asked = { kind: 'bank_account', value: account.replace(/-/g, '') };
    expect(await answerOf('my.officer', 'KH', asked)).toBe('no_hit');
    expect(await answerOf('th.officer', 'KH', asked)).toBe('hit');
  });

  it('control: the file’s dispatch with recipients visible, MY’s check of KH finds the account', async () => {
    const account = '0071-5050-0002';
    await fileToKhAndMy(account, true);
    expect(
      await answerOf('my.officer', 'KH', { kind: 'bank_account', value: account.replace(/-/g, '') }),
    ).toBe('hit');
  });
});
