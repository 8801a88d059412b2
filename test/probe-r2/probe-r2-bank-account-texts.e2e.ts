import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { frameworkId, identifiersKhGaveKr, RELEASE_REFUSED, send } from '../sharing/support';

/**
 * Probe (round 2): KH gives KR an account number under AMBER+STRICT. An information request from KR to
 * MY naming it as `identifiers.bankAccounts[].accountNumber`, or inside a compound's name, is refused
 * (release-refused). Written into the same bank account's `institution` or `holderName` — free text MY
 * reads in the request — it is not weighed: the request is drafted, sent, and MY reads the number.
 * `identifierKeys` (src/sharing/identifier-keys.ts) takes only accountNumber from a bank account;
 * compounds and urls get `numbersIn`, institution and holderName do not. The same `IdentifiersDto` is
 * used by findings (`FindingsDto.identifiers`), so an answer is likely open the same way.
 * Fix: src/sharing/identifier-keys.ts `identifierKeys` — add numbersIn over bankAccounts[].institution
 * and .holderName (and any other free text of an identifier).
 */
describe('Probe r2: a bank account’s institution and holder name carry an AMBER+STRICT number to MY', () => {
  let t: TestApp;
  let tf: TaskForce;
  let krMy: string;
  const account = '604938271556';

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    krMy = await frameworkId(t, 'Korea–Malaysia');
    await identifiersKhGaveKr(tf, 'AMBER+STRICT', {
      bankAccounts: [{ institution: 'ABA Bank', accountNumber: account }],
    });
  }, 120_000);
  afterAll(() => t?.close());

  const ask = (identifiers: object) =>
    tf['kr.officer'].post('/information-requests', {
      frameworkId: krMy,
      targetCountry: 'MY',
      priority: 'urgent',
      handlingCode: 'AMBER',
      subject: 'Mule accounts',
      questions: ['Who holds this account?'],
      identifiers,
    });

  it('refuses the number as an account number or in a compound name (the rule works)', async () => {
    const asAccount = await ask({ bankAccounts: [{ institution: 'Maybank', accountNumber: account }] });
    const inCompound = await ask({ compounds: [`Compound ${account}`] });
    expect([asAccount.status, asAccount.body.type, inCompound.status, inCompound.body.type]).toEqual([
      409,
      RELEASE_REFUSED,
      409,
      RELEASE_REFUSED,
    ]);
  });

  it('refuses it in the institution or the holder name, so MY never reads it', async () => {
    const seen: Record<string, unknown> = {};
    for (const [field, bankAccount] of [
      ['institution', { institution: `Bank ${account}`, accountNumber: '514012345678' }],
      [
        'holderName',
        { institution: 'Maybank', accountNumber: '514012345679', holderName: `Acct ${account}` },
      ],
    ] as const) {
      const created = await ask({ bankAccounts: [bankAccount] });
      if (created.status !== 201) {
        seen[field] = `${created.status} ${created.body.type}`;
        continue;
      }
      const sent = await send(tf['kr.officer'], tf['kr.liaison'], '/information-requests', created.body);
      const view = (await tf['my.officer'].get(`/information-requests/${sent.id}`).expect(200)).body;
      seen[field] = `201, MY reads ${JSON.stringify(view.identifiers.bankAccounts[0][field])}`;
    }
    expect(seen).toEqual({
      institution: `409 ${RELEASE_REFUSED}`,
      holderName: `409 ${RELEASE_REFUSED}`,
    });
  });
});
