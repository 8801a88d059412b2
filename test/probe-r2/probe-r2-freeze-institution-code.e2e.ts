import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { frameworkId, identifiersKhGaveKr, RELEASE_REFUSED, send } from '../sharing/support';

/**
 * Probe (round 2): KH gives KR an account number under AMBER+STRICT. An asset-freeze request from KR to
 * MY naming it as a target's `accountNumber`, or writing it into `institutionName`, is refused
 * (release-refused). The same digits as the target's `institutionCode` (2–20 letters or digits, read by
 * MY in the target) are not weighed: the request is drafted, approved and MY reads the number.
 * `AssetFreezeRequestsService.create` weighs accountNumber/address (`freezeTargetKeys`) and the texts
 * grounds.summary, institutionName, holderName, exchangeName — not institutionCode.
 * Fix: src/asset-freezes/asset-freeze-requests.service.ts — weigh institutionCode (as a number key, via
 * keyVariants, like accountNumber) with the target's other fields.
 */
describe('Probe r2: a freeze target’s institutionCode carries an AMBER+STRICT number to MY', () => {
  let t: TestApp;
  let tf: TaskForce;
  let krMy: string;
  const account = '736251849002';

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    krMy = await frameworkId(t, 'Korea–Malaysia');
    await identifiersKhGaveKr(tf, 'AMBER+STRICT', {
      bankAccounts: [{ institution: 'ABA Bank', accountNumber: account }],
    });
  }, 120_000);
  afterAll(() => t?.close());

  const freeze = (target: object) =>
    tf['kr.officer'].post('/asset-freeze-requests', {
      frameworkId: krMy,
      targetCountry: 'MY',
      priority: 'urgent',
      handlingCode: 'AMBER',
      subject: 'Freeze the mule account',
      targets: [
        {
          type: 'bank_account',
          institutionName: 'Maybank',
          institutionCode: 'MBBEMYKL',
          accountNumber: '514012345678',
          holderName: 'TAN Ah Kow',
          borrowedName: false,
          amountSought: { amount: '25000', currency: 'MYR' },
          grounds: { summary: 'Victim deposits traced here' },
          ...target,
        },
      ],
    });

  it('refuses the number as the account number or in the institution name (the rule works)', async () => {
    const asAccount = await freeze({ accountNumber: account });
    const asName = await freeze({ institutionName: `Bank ${account}` });
    expect([asAccount.status, asAccount.body.type, asName.status, asName.body.type]).toEqual([
      409,
      RELEASE_REFUSED,
      409,
      RELEASE_REFUSED,
    ]);
  });

  it('refuses it as the institution code, so MY never reads it', async () => {
    const created = await freeze({ institutionCode: account });
    let myReads: unknown = null;
    if (created.status === 201) {
      const sent = await send(tf['kr.officer'], tf['kr.liaison'], '/asset-freeze-requests', created.body);
      const view = (await tf['my.officer'].get(`/asset-freeze-requests/${sent.id}`).expect(200)).body as {
        targets: Array<{ institutionCode: string | null }>;
      };
      myReads = view.targets.map((target) => target.institutionCode);
    }
    expect({ status: created.status, type: created.body.type, myReads }).toEqual({
      status: 409,
      type: RELEASE_REFUSED,
      myReads: null,
    });
  });
});
