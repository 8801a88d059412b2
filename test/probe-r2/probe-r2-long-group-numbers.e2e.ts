import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { frameworkId, identifiersKhGaveKr, RELEASE_REFUSED, send } from '../sharing/support';

/**
 * Probe (round 2, hostile sender): KH gives KR an account number and a phone under AMBER+STRICT. Written
 * whole, or in short groups, into a message to MY, each is refused (release-refused). Written as one
 * long group and a short tail — `9876543210 98`, `+855975318 64` — it goes to MY: `numbersIn` joins a
 * run of words only while each is a "group" of at most 8 folded characters (`isGroup`), so a first word
 * of 9 or more characters is never joined with what follows, and neither part alone is the number.
 * The same join also stops at a letters-only word of 3+ characters (a wallet written in groups of four
 * without its `0x`, where one group happens to be all letters: `… Ef1B eAed`) and after 12 words (a
 * 13-digit account spelled digit by digit, or in keycap emoji `5️⃣6️⃣…`, each its own word).
 * Fix: src/sharing/identifier-keys.ts `numbersIn` (join on the whole digit-bearing run, not only
 * words passing `isGroup`, and without the MAX_GROUPS cut), or weigh the text with separators removed.
 */
describe('Probe r2: a number split into a long group and a short tail escapes the release rule', () => {
  let t: TestApp;
  let tf: TaskForce;
  let toMy: { id: string };
  const account = '987654321098';
  const phone = '+85597531864';
  const longAccount = '5647382910473';
  const wallet = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await identifiersKhGaveKr(tf, 'AMBER+STRICT', {
      bankAccounts: [
        { institution: 'ABA Bank', accountNumber: account },
        { institution: 'ABA Bank', accountNumber: longAccount },
      ],
      phones: [phone],
      cryptoAddresses: [{ chain: 'ethereum', address: wallet }],
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
      wallet: await message(`Wallet ${wallet}`),
      longAccount: await message(`Account ${longAccount.match(/.{1,4}/g)!.join(' ')}`),
    }).toEqual({
      account: `409 ${RELEASE_REFUSED}`,
      phone: `409 ${RELEASE_REFUSED}`,
      wallet: `409 ${RELEASE_REFUSED}`,
      longAccount: `409 ${RELEASE_REFUSED}`,
    });
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

  it('refuses a wallet in groups of four without 0x and a 13-digit account spelled digit by digit', async () => {
    const seen = {
      wallet: await message(
        `Wallet ${wallet
          .slice(2)
          .match(/.{1,4}/g)!
          .join(' ')}`,
      ),
      digits: await message(`Account ${longAccount.split('').join(' ')}`),
      keycaps: await message(`Account ${[...longAccount].map((d) => `${d}\uFE0F\u20E3`).join('')}`),
    };
    expect(seen).toEqual({
      wallet: `409 ${RELEASE_REFUSED}`,
      digits: `409 ${RELEASE_REFUSED}`,
      keycaps: `409 ${RELEASE_REFUSED}`,
    });
  });
});
