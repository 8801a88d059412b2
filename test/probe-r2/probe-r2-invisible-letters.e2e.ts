import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { frameworkId, identifiersKhGaveKr, RELEASE_REFUSED, send } from '../sharing/support';

/**
 * Probe (round 2, hostile sender): KH gives KR an account number under AMBER+STRICT. Written into a
 * message to MY it is refused (release-refused), also with soft hyphens, zero-width or combining marks
 * between its digits. With a Hangul filler (U+3164, U+FFA0, U+115F, U+1160) between the digits it goes,
 * and MY reads the number: those characters are Default_Ignorable (they render as nothing or a blank),
 * but their category is Lo, a letter, so `foldIdentifier` / `keyVariants` (src/sharing/identifier-keys.ts)
 * keep them inside the word and the key is no longer the number's. Han numerals (九八七…) pass too.
 * Fix: src/sharing/identifier-keys.ts — drop \p{Default_Ignorable_Code_Point} (not only \p{Cf}) before
 * folding, in foldIdentifier, keyVariants and numbersIn's split; consider Han numerals as digits.
 */
describe('Probe r2: invisible Hangul fillers between the digits hide a number from the release rule', () => {
  let t: TestApp;
  let tf: TaskForce;
  let toMy: { id: string };
  const account = '463728190554';

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await identifiersKhGaveKr(tf, 'AMBER+STRICT', {
      bankAccounts: [{ institution: 'ABA Bank', accountNumber: account }],
    });
    const draft = (
      await tf['kr.officer']
        .post('/information-requests', {
          frameworkId: await frameworkId(t, 'Korea–Malaysia'),
          targetCountry: 'MY',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: 'Mule accounts',
          questions: ['Do you know this account?'],
        })
        .expect(201)
    ).body;
    toMy = await send(tf['kr.officer'], tf['kr.liaison'], '/information-requests', draft);
  }, 120_000);
  afterAll(() => t?.close());

  const message = async (digits: string) => {
    const res = await tf['kr.officer'].post(`/information-requests/${toMy.id}/messages`, {
      body: `Account ${digits}`,
    });
    return `${res.status} ${res.body.type ?? ''}`;
  };
  const spaced = (separator: string) => account.split('').join(separator);

  it('refuses the number plain, with soft hyphens or zero-width spaces (the rule works)', async () => {
    expect([
      await message(account),
      await message(spaced('\u00AD')),
      await message(spaced('\u200B')),
    ]).toEqual(Array(3).fill(`409 ${RELEASE_REFUSED}`));
  });

  it('refuses it with Hangul fillers between the digits, so MY never reads it', async () => {
    const seen = {
      u3164: await message(spaced('\u3164')),
      uFFA0: await message(spaced('\uFFA0')),
      u115F: await message(spaced('\u115F')),
    };
    const thread = (await tf['my.officer'].get(`/information-requests/${toMy.id}/messages`).expect(200))
      .body as unknown[];
    expect({ ...seen, myReads: thread.length }).toEqual({
      u3164: `409 ${RELEASE_REFUSED}`,
      uFFA0: `409 ${RELEASE_REFUSED}`,
      u115F: `409 ${RELEASE_REFUSED}`,
      myReads: 0,
    });
  });

  it('refuses it written in Han numerals', async () => {
    const han = [...account].map((d) => '〇一二三四五六七八九'[Number(d)]).join('');
    expect(await message(han)).toBe(`409 ${RELEASE_REFUSED}`);
  });
});
