import {
  aBankAccount,
  aFreezeDraft,
  aWallet,
  BASE,
  koreaMalaysiaFramework,
} from '../asset-freezes/asset-freeze-scenario';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r25: an account or wallet is on at most one open freeze request per origin country
 * (`asset_freeze_target_open_key (origin_country, target_key)`). KR drafts a freeze to MY of an account
 * and a wallet; KH (which never reads it) and, once it is sent, MY (which does) each put the very same
 * account and wallet, in other spellings, on requests of their own: never a 409, so neither learns
 * whether KR is after them. KR's own second request is refused, naming only KR's request (control).
 */
describe('Probe r25: a freeze target open in KR does not block KH or MY', () => {
  let t: TestApp;
  let tf: TaskForce;
  let mou: string;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    mou = await koreaMalaysiaFramework(t);
  }, 60_000);
  afterAll(() => t?.close());

  const account = aBankAccount({ accountNumber: '5140-2500-0025' });
  const wallet = aWallet();
  /** The same targets as another officer writes them: other separators, other case. */
  const sameTargetsRespelled = [
    aBankAccount({ accountNumber: '514025000025', institutionCode: 'mbbemykl' }),
    aWallet(),
  ];

  it('refuses KR’s second request only, while KH and MY put the same targets on theirs', async () => {
    const kr = (await tf['kr.officer'].post(BASE, aFreezeDraft(mou, [account, wallet])).expect(201)).body;

    // KR's draft: KH drafts and withdraws, so its own target is free again for the next try.
    const khDraft = await tf['kh.officer'].post(
      BASE,
      aFreezeDraft(tf.cambodiaKoreaFramework, sameTargetsRespelled, { targetCountry: 'KR' }),
    );
    expect(khDraft.status).toBe(201);
    await tf['kh.officer']
      .post(`${BASE}/${khDraft.body.id}/withdraw`, { version: khDraft.body.version })
      .expect(200);

    // KR's request sent to MY and accepted there: MY reads it, KH still does not.
    const submitted = (
      await tf['kr.officer'].post(`${BASE}/${kr.id}/submit`, { version: kr.version }).expect(200)
    ).body;
    const sent = (
      await tf['kr.liaison'].post(`${BASE}/${kr.id}/approve`, { version: submitted.version }).expect(200)
    ).body;
    await tf['my.liaison'].post(`${BASE}/${kr.id}/accept`, { version: sent.version }).expect(200);
    await tf['kh.officer'].get(`${BASE}/${kr.id}`).expect(404);
    await tf['my.officer'].get(`${BASE}/${kr.id}`).expect(200);

    const khAgain = await tf['kh.officer'].post(
      BASE,
      aFreezeDraft(tf.cambodiaKoreaFramework, sameTargetsRespelled, { targetCountry: 'KR' }),
    );
    expect(khAgain.status).toBe(201);
    const my = await tf['my.officer'].post(
      BASE,
      aFreezeDraft(mou, sameTargetsRespelled, { targetCountry: 'KR' }),
    );
    expect(my.status).toBe(201);

    // Control: KR's own second request for the account is refused, and names KR's request only.
    const krAgain = await tf['kr.officer'].post(BASE, aFreezeDraft(mou, [sameTargetsRespelled[0]!]));
    expect(krAgain.status).toBe(409);
    expect(krAgain.body).toMatchObject({
      existingRequestId: kr.id,
      existingReference: sent.reference,
      field: 'targets[0]',
    });
    const told = JSON.stringify(krAgain.body);
    for (const other of [khDraft.body.id, khAgain.body.id, my.body.id]) expect(told).not.toContain(other);
  });
});
