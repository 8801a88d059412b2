import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { frameworkId, identifiersKhGaveKr, RELEASE_REFUSED, send } from '../sharing/support';

/**
 * Probe (round 2, hostile sender): KH gives KR an account number and a phone under AMBER+STRICT. Written
 * whole, or in short groups, into a message to MY, each is refused (release-refused). Written as one
 * long group and a short tail — `9876543210 98`, `+855975318 64` — it goes to MY: `numbersIn` joins a
 * run of words only while each is a "group" of at most 8 folded characters (`isGroup`), so a first word
 * of 9 or more characters is never joined with what follows, and neither part alone is the number.
 */
describe('Probe r2: a number split into a long group and a short tail escapes the release rule', () => {
  let t: TestApp;
  let tf: TaskForce;
  let toMy: { id: string };
  const account = '987654321098';
  const phone = '+85597531864';

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await identifiersKhGaveKr(tf, 'AMBER+STRICT', {
      bankAccounts: [{ institution: 'ABA Bank', accountNumber: account }],
      phones: [phone],
    });
    const draft = (
      await tf['kr.officer']
        .post('/information-requests', {
          frameworkId: await frameworkId(t, 'Korea–Malaysia'),
          targetCountry: 'MY',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: 'Compound accounts',
          questions: ['Do you know these accounts?'],
        })
        .expect(201)
    ).body;
    toMy = await send(tf['kr.officer'], tf['kr.liaison'], '/information-requests', draft);
  }, 120_000);
  afterAll(() => t?.close());

  const message = async (body: string) => {
    const res = await tf['kr.officer'].post(`/information-requests/${toMy.id}/messages`, { body });
    return `${res.status} ${res.body.type ?? ''}`;
  };

  it('refuses the numbers written whole or in short groups (the rule works)', async () => {
    expect({
      account: await message(`Deposits went to account ${account}.`),
      phone: await message('He answers on +855 9753 1864.'),
    }).toEqual({ account: `409 ${RELEASE_REFUSED}`, phone: `409 ${RELEASE_REFUSED}` });
  });

  it('refuses them written as a long group and a short tail, and MY reads neither', async () => {
    const seen = {
      account: await message('Deposits went to account 9876543210 98.'),
      phone: await message('He answers on +855975318 64.'),
    };
    const thread = (await tf['my.officer'].get(`/information-requests/${toMy.id}/messages`).expect(200))
      .body as Array<{ body: string }>;
    expect({ ...seen, myReads: thread.map((m) => m.body) }).toEqual({
      account: `409 ${RELEASE_REFUSED}`,
      phone: `409 ${RELEASE_REFUSED}`,
      myReads: [],
    });
  });
});
