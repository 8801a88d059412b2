import type { SignedIn } from '../support/http';
import type { TestApp } from '../support/test-app';
import {
  aBankAccount,
  aFreezeDraft,
  aWallet,
  BASE,
  ETH_WALLET,
} from '../asset-freezes/asset-freeze-scenario';
import { multilateralWorld } from '../probe-r21/r21-support';

/**
 * Probe r22: KR asks KH (AMBER, the multilateral body that also joins MY) to freeze a borrowed-name
 * bank account and a wallet. MY, the third country, asks hit/no-hit of KH about both, looks them up
 * (seen-in) and reads its stats, before the sending (draft), after it, and after KH froze part of the
 * account. KH holds the targets only because KR sent them: MY learns nothing from KH, at any stage, and
 * KR's draft is no holding of KR's either.
 */
describe('A freeze request KR → KH: MY learns no target from KH, the draft from no one', () => {
  let t: TestApp;
  let as: Record<string, SignedIn>;
  let body: string;
  beforeAll(async () => {
    ({ t, as, body } = await multilateralWorld([
      'kr.officer',
      'kr.liaison',
      'kh.liaison',
      'kh.officer',
      'my.officer',
    ]));
  });
  afterAll(() => t?.close());

  const account = '8801-2222-3333';
  const targets = [
    aBankAccount({
      institutionName: 'ACLEDA Bank',
      institutionCode: 'ACLBKHPP',
      accountNumber: account,
      holderName: 'SOK Dara',
      borrowedName: true,
      amountSought: { amount: '90000', currency: 'USD' },
    }),
    aWallet({ chain: 'ethereum', address: ETH_WALLET, amountSought: { amount: '5000', currency: 'USDT' } }),
  ];
  const asked = [
    { kind: 'bank_account', value: account },
    { kind: 'wallet', value: ETH_WALLET },
  ];

  /** What MY reads of the two targets: its check's answers from KR and KH, seen-in counts. */
  async function whatMyReads() {
    const my = as['my.officer']!;
    const check = (
      await my.post('/identifier-checks', { partners: ['KH', 'KR'], identifiers: asked }).expect(201)
    ).body;
    const seen = [];
    for (const a of asked) {
      const res = await my.get(`/identifiers/seen-in?kind=${a.kind}&value=${encodeURIComponent(a.value)}`);
      expect(res.status).toBe(200);
      seen.push(JSON.stringify(res.body));
    }
    return {
      answers: check.results.map((r: { answers: Array<{ country: string; answer: string }> }) =>
        Object.fromEntries(r.answers.map((x) => [x.country, x.answer])),
      ),
      seen,
    };
  }

  /** MY's stats over a fixed period (the default one ends now). */
  async function myStats() {
    const res = await as['my.officer']!.get('/stats?from=2026-01-01T00:00:00Z&to=2027-12-31T00:00:00Z');
    expect(res.status).toBe(200);
    return res.body;
  }

  it('draft: no hit anywhere; sent, accepted and partly frozen: KH never hits for MY', async () => {
    const before = await whatMyReads();
    expect(before.answers).toEqual([
      { KH: 'no_hit', KR: 'no_hit' },
      { KH: 'no_hit', KR: 'no_hit' },
    ]);
    const stats0 = await myStats();

    const draft = (
      await as['kr.officer']!.post(BASE, aFreezeDraft(body, targets, { targetCountry: 'KH' })).expect(201)
    ).body;
    // A draft: nothing has left KR.
    expect(await whatMyReads()).toEqual(before);
    const submitted = (
      await as['kr.officer']!.post(`${BASE}/${draft.id}/submit`, { version: draft.version }).expect(200)
    ).body;
    expect(await whatMyReads()).toEqual(before);

    const sent = (
      await as['kr.liaison']!.post(`${BASE}/${draft.id}/approve`, { version: submitted.version }).expect(200)
    ).body;
    const accepted = (
      await as['kh.liaison']!.post(`${BASE}/${draft.id}/accept`, { version: sent.version }).expect(200)
    ).body;
    const bank = accepted.targets.find((x: { type: string }) => x.type === 'bank_account');
    await as['kh.liaison']!.post(`${BASE}/${draft.id}/targets/${bank.id}/freeze`, {
      version: accepted.version,
      outcome: 'frozen',
      amount: { amount: '12000.50', currency: 'USD' },
      institutionReference: `ACLEDA hold on ${account}`,
    }).expect(200);

    const after = await whatMyReads();
    // KH received both from KR (AMBER): never a hit of KH's for MY. (KR's own sent request is KR's own holding.)
    expect(after.answers.map((a: Record<string, string>) => a.KH)).toEqual(['no_hit', 'no_hit']);
    // MY sees the records of neither country.
    expect(after.seen).toEqual(before.seen);
    for (const s of after.seen) expect(s).not.toContain(draft.id);
    // MY's stats do not move for a request between two other countries.
    expect(await myStats()).toEqual(stats0);
  });
});
