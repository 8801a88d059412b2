import { createTestApp, TestApp } from '../support/test-app';
import { taskForce, TaskForce } from '../support/scenario';
import {
  aBankAccount,
  aFreezeDraft,
  anAcceptedRequest,
  aWallet,
  BASE,
  ETH_WALLET,
  koreaMalaysiaFramework,
  stepper,
} from './asset-freeze-scenario';

describe('Asset freeze money rules and duplicate protection: refused with problem details, nothing changed', () => {
  let t: TestApp;
  let tf: TaskForce;
  let framework: string;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    framework = await koreaMalaysiaFramework(t);
  });
  afterAll(() => t?.close());

  /** Everything a refused step could have touched. */
  async function snapshot() {
    const q = (sql: string) => t.dataSource.query(sql);
    return {
      requests: await q(
        `SELECT id, status, version, updated_at, outcome FROM cross_border_request ORDER BY id`,
      ),
      targets: await q(`SELECT * FROM asset_freeze_target ORDER BY id`),
      steps: await q(`SELECT * FROM asset_freeze_step ORDER BY id`),
      history: await q(`SELECT count(*)::int AS n FROM request_status_history`),
      audit: await q(`SELECT count(*)::int AS n FROM audit_event WHERE outcome = 'success'`),
      counters: await q(`SELECT * FROM reference_counter ORDER BY country_code, kind, year`),
      requestCounters: await q(
        `SELECT * FROM request_reference_counter ORDER BY origin_country, target_country, kind, year`,
      ),
    };
  }

  function expectProblem(
    res: { status: number; body: Record<string, unknown>; headers: Record<string, string> },
    status: number,
  ) {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, type: expect.stringMatching(/^urn:case-desk:problem:/) });
  }

  it('refuses every violation of the money rules, naming the field or the rule, and changes nothing', async () => {
    const step = stepper();
    const accepted = await anAcceptedRequest(tf, framework, [
      aBankAccount({ accountNumber: '700-0001', amountSought: { amount: '100', currency: 'MYR' } }),
      aBankAccount({ accountNumber: '700-0002', amountSought: { amount: '50', currency: 'MYR' } }),
    ]);
    const id = accepted.id as string;
    const [a, b] = accepted.targets.map((x: { id: string }) => x.id);
    const officer = tf['my.officer'];
    let cur = await step(officer, `${id}/targets/${a}/freeze`, {
      version: accepted.version,
      outcome: 'frozen',
      amount: { amount: '100.00', currency: 'MYR' },
    });
    cur = await step(officer, `${id}/targets/${b}/freeze`, {
      version: cur.version,
      outcome: 'frozen',
      amount: { amount: '50', currency: 'MYR' },
    });
    cur = await step(officer, `${id}/targets/${a}/recover`, {
      version: cur.version,
      amount: { amount: '100', currency: 'MYR' },
      disposition: 'seized',
    });
    cur = await step(officer, `${id}/targets/${a}/return`, {
      version: cur.version,
      amount: { amount: '100', currency: 'MYR' },
      recipient: { name: 'PARK Jisoo' },
      decision: 'Restitution order 7-2026',
    });
    expect(cur.targets[0]).toMatchObject({ returned: '100', stillFrozen: '0', final: true });
    const v = cur.version as number;
    const at = (target: string, what: string) => `${BASE}/${id}/targets/${target}/${what}`;
    const ret = (amount: unknown, currency: unknown = 'MYR') => ({
      version: v,
      amount: { amount, currency },
      recipient: { name: 'PARK Jisoo' },
      decision: 'Restitution order 7-2026',
    });

    const before = await snapshot();
    const cases: Array<{
      name: string;
      path: string;
      body: object;
      status: number;
      field?: string;
      detail?: RegExp;
    }> = [
      {
        name: 'return more than frozen',
        path: at(b, 'return'),
        body: ret('50.01'),
        status: 409,
        detail: /Cannot return 50\.01: only 50 of the 50 frozen is still frozen/,
      },
      {
        name: 'release after full return',
        path: at(a, 'release'),
        body: { version: v, amount: { amount: '0.01', currency: 'MYR' }, reason: 'x' },
        status: 409,
        detail: /only 0 of the 100 frozen is still frozen/,
      },
      {
        name: 'recover more than frozen',
        path: at(b, 'recover'),
        body: { version: v, amount: { amount: '50.01', currency: 'MYR' }, disposition: 'seized' },
        status: 409,
        detail: /more than the 50 frozen/,
      },
      {
        name: 'a second outcome',
        path: at(b, 'freeze'),
        body: { version: v, outcome: 'not_found' },
        status: 409,
        detail: /already has the outcome 'frozen'/,
      },
      {
        name: 'negative amount',
        path: at(b, 'return'),
        body: ret('-5'),
        status: 400,
        field: 'amount.amount',
      },
      { name: 'zero amount', path: at(b, 'return'), body: ret('0'), status: 400, field: 'amount.amount' },
      { name: 'exponent', path: at(b, 'return'), body: ret('1e1'), status: 400, field: 'amount.amount' },
      { name: 'a JSON number', path: at(b, 'return'), body: ret(10), status: 400, field: 'amount.amount' },
      {
        name: 'too many decimals',
        path: at(b, 'return'),
        body: ret('10.001'),
        status: 400,
        field: 'amount.amount',
      },
      {
        name: 'unknown currency',
        path: at(b, 'return'),
        body: ret('10', 'XYZ'),
        status: 400,
        field: 'amount.currency',
      },
      {
        name: 'currency mismatch',
        path: at(b, 'return'),
        body: ret('10', 'USD'),
        status: 400,
        field: 'amount.currency',
      },
      {
        name: 'an amount with not_found',
        path: at(b, 'freeze'),
        body: { version: v, outcome: 'not_found', amount: { amount: '1', currency: 'MYR' } },
        status: 400,
        field: 'amount',
      },
      {
        name: 'frozen without an amount',
        path: at(b, 'freeze'),
        body: { version: v, outcome: 'frozen' },
        status: 400,
        field: 'amount',
      },
      {
        name: 'an unknown field',
        path: at(b, 'return'),
        body: { ...ret('1'), bonus: true },
        status: 400,
        field: 'bonus',
      },
      { name: 'a stale version', path: at(b, 'return'), body: { ...ret('1'), version: v - 1 }, status: 409 },
      {
        name: 'a target of another request',
        path: `${BASE}/${id}/targets/00000000-0000-4000-8000-000000000000/return`,
        body: ret('1'),
        status: 404,
      },
      {
        name: 'a malformed target id',
        path: `${BASE}/${id}/targets/abc/return`,
        body: ret('1'),
        status: 400,
        field: 'targetId',
      },
    ];
    for (const c of cases) {
      const res = await officer.post(c.path, c.body);
      try {
        expectProblem(res, c.status);
        if (c.field)
          expect(res.body.errors).toEqual(
            expect.arrayContaining([expect.objectContaining({ field: c.field })]),
          );
        if (c.detail) expect(res.body.detail).toMatch(c.detail);
      } catch (error) {
        throw new Error(`${c.name}: ${(error as Error).message}\n${JSON.stringify(res.body)}`);
      }
    }
    const ledgerProblem = (await officer.post(at(b, 'return'), ret('60'))).body;
    expect(ledgerProblem).toMatchObject({
      type: 'urn:case-desk:problem:freeze-ledger-violation',
      targetId: b,
    });
    expect(await snapshot()).toEqual(before);
  });

  it('two officers executing at once on the same version: exactly one wins, the other gets a conflict', async () => {
    const accepted = await anAcceptedRequest(tf, framework, [
      aBankAccount({ accountNumber: '800-0001' }),
      aBankAccount({ accountNumber: '800-0002' }),
    ]);
    const [a, b] = accepted.targets.map((x: { id: string }) => x.id);
    const results = await Promise.all(
      [
        [tf['my.officer'], a],
        [tf['my.liaison'], b],
      ].map(([who, target]) =>
        (who as (typeof tf)['my.officer']).post(`${BASE}/${accepted.id}/targets/${target}/freeze`, {
          version: accepted.version,
          outcome: 'frozen',
          amount: { amount: '10', currency: 'MYR' },
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const now = (await tf['my.officer'].get(`${BASE}/${accepted.id}`).expect(200)).body;
    expect(now.targets.filter((x: { outcome: string | null }) => x.outcome === 'frozen')).toHaveLength(1);
    expect(now.totals[0]).toMatchObject({ currency: 'MYR', frozen: '10' });
    const [steps] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM asset_freeze_step WHERE request_id = $1`,
      [accepted.id],
    );
    expect(steps.n).toBe(1);
  });

  it('refuses malformed targets at creation (bad wallet address for the chain, amounts, missing bank fields) and creates nothing', async () => {
    const before = await snapshot();
    const cases: Array<{ targets: object[]; field: string; message?: RegExp }> = [
      {
        targets: [aWallet({ chain: 'ethereum', address: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t' })],
        field: 'targets[0].address',
        message: /is not a ethereum address/,
      },
      { targets: [aWallet({ address: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u' })], field: 'targets[0].address' },
      { targets: [aWallet({ chain: 'bitcoin', address: ETH_WALLET })], field: 'targets[0].address' },
      { targets: [aWallet({ chain: 'dogecoin' })], field: 'targets[0].chain' },
      {
        targets: [aBankAccount({ amountSought: { amount: '1500000.5', currency: 'KRW' } })],
        field: 'targets[0].amountSought.amount',
        message: /KRW allows 0/,
      },
      {
        targets: [aBankAccount({ amountSought: { amount: '-1', currency: 'MYR' } })],
        field: 'targets[0].amountSought.amount',
      },
      {
        targets: [aBankAccount({ amountSought: { amount: '0.0000001', currency: 'USDT' } })],
        field: 'targets[0].amountSought.amount',
      },
      { targets: [aBankAccount({ borrowedName: undefined })], field: 'targets[0].borrowedName' },
      { targets: [aWallet({ borrowedName: true })], field: 'targets[0].borrowedName' },
      { targets: [aBankAccount({ chain: 'tron' })], field: 'targets[0].chain' },
      { targets: [aBankAccount({ institutionCode: undefined })], field: 'targets[0].institutionCode' },
      { targets: [aBankAccount(), aBankAccount({ accountNumber: '514012345678' })], field: 'targets[1]' },
      {
        targets: [aBankAccount({ personId: '00000000-0000-4000-8000-000000000000' })],
        field: 'targets[0].personId',
      },
      { targets: [], field: 'targets' },
    ];
    for (const c of cases) {
      const res = await tf['kr.officer'].post(BASE, aFreezeDraft(framework, c.targets));
      try {
        expectProblem(res, 400);
        const hit = (res.body.errors as Array<{ field: string; message: string }>).find(
          (e) => e.field === c.field,
        );
        expect(hit).toBeDefined();
        if (c.message) expect(hit!.message).toMatch(c.message);
      } catch (error) {
        throw new Error(`${c.field}: ${(error as Error).message}\n${JSON.stringify(res.body)}`);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('the same account or wallet cannot be on two open requests from KR: 409 pointing to the first, race-safe', async () => {
    const first = (
      await tf['kr.officer']
        .post(
          BASE,
          aFreezeDraft(framework, [
            aBankAccount({ accountNumber: '5140-9999-0001' }),
            aWallet({
              chain: 'ethereum',
              address: ETH_WALLET,
              amountSought: { amount: '1.5', currency: 'ETH' },
            }),
          ]),
        )
        .expect(201)
    ).body;
    const before = await snapshot();
    // Written differently, the same account: spaces instead of hyphens, institution code in lower case.
    const again = await tf['kr.officer2'].post(
      BASE,
      aFreezeDraft(framework, [
        aBankAccount({ accountNumber: '607-1' }),
        aBankAccount({ institutionCode: 'mbbemykl', accountNumber: '5140 9999 0001' }),
      ]),
    );
    expectProblem(again, 409);
    expect(again.body).toMatchObject({
      type: 'urn:case-desk:problem:duplicate-freeze-target',
      field: 'targets[1]',
      existingRequestId: first.id,
      existingReference: null,
      existingDraftId: first.draftId,
      existingTargetId: first.targets[0].id,
    });
    expect(again.body.detail).toContain(first.draftId);
    // The same wallet with the address in another case.
    const wallet = await tf['kr.officer'].post(
      BASE,
      aFreezeDraft(framework, [
        aWallet({
          chain: 'ethereum',
          address: ETH_WALLET.toLowerCase(),
          amountSought: { amount: '1', currency: 'ETH' },
        }),
      ]),
    );
    expect(wallet.status).toBe(409);
    expect(wallet.body).toMatchObject({ existingRequestId: first.id, existingTargetId: first.targets[1].id });
    expect(await snapshot()).toEqual(before);
    // Another chain with the same address is another wallet.
    await tf['kr.officer']
      .post(
        BASE,
        aFreezeDraft(framework, [
          aWallet({ chain: 'bsc', address: ETH_WALLET, amountSought: { amount: '1', currency: 'BNB' } }),
        ]),
      )
      .expect(201);

    // Once the first request is withdrawn, its accounts may go on a new one.
    await stepper()(tf['kr.officer'], `${first.id}/withdraw`, { version: first.version });
    const retried = await tf['kr.officer']
      .post(BASE, aFreezeDraft(framework, [aBankAccount({ accountNumber: '5140-9999-0001' })]))
      .expect(201);

    // Two officers racing with the same new account: exactly one wins.
    const racing = await Promise.all(
      [tf['kr.officer'], tf['kr.officer2']].map((who) =>
        who.post(
          BASE,
          aFreezeDraft(framework, [aBankAccount({ institutionCode: 'CIBBMYKL', accountNumber: '42-42-42' })]),
        ),
      ),
    );
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409]);
    const winner = racing.find((r) => r.status === 201)!.body;
    expect(racing.find((r) => r.status === 409)!.body.existingRequestId).toBe(winner.id);
    expect(retried.body.id).not.toBe(first.id);
  });
});
