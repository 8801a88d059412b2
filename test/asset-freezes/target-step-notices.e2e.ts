import { SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { aBankAccount, anAcceptedRequest, BASE, koreaMalaysiaFramework } from './asset-freeze-scenario';

/**
 * A freeze is carried out account by account by the target, and the origin is racing the money: each
 * step the target records (the funds frozen, or found gone) tells the origin's liaisons and officers
 * which request moved, not what the step says (they read that on the request). The target is not told
 * of its own steps.
 */
describe('The origin hears of each step the target records on a freeze', () => {
  let t: TestApp;
  let tf: TaskForce;
  let framework: string;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    framework = await koreaMalaysiaFramework(t);
  });
  afterAll(() => t?.close());

  const notices = async (who: SignedIn, id: string) =>
    (
      (await who.get('/notifications?limit=200').expect(200)).body.items as Array<{
        recordId: string;
        eventType: string;
        reference: string;
        payload: Record<string, unknown>;
      }>
    ).filter((n) => n.recordId === id && n.eventType === 'asset_freeze.target_step');

  it('MY finds the funds of one account gone and freezes the other: KR is told twice, MY not at all', async () => {
    const accepted = await anAcceptedRequest(tf, framework, [
      aBankAccount({ accountNumber: '7788-0001' }),
      aBankAccount({ accountNumber: '7788-0002' }),
    ]);
    expect(await notices(tf['kr.liaison'], accepted.id)).toEqual([]);
    const [gone, kept] = accepted.targets as Array<{ id: string }>;
    const moved = (
      await tf['my.officer']
        .post(`${BASE}/${accepted.id}/targets/${gone!.id}/freeze`, {
          version: accepted.version,
          outcome: 'funds_moved',
          comment: 'Moved to 7788-9999 an hour before the order',
        })
        .expect(200)
    ).body;
    await tf['my.officer']
      .post(`${BASE}/${accepted.id}/targets/${kept!.id}/freeze`, {
        version: moved.version,
        outcome: 'frozen',
        amount: { amount: '1000', currency: 'MYR' },
      })
      .expect(200);
    for (const who of [tf['kr.liaison'], tf['kr.officer']]) {
      const told = await notices(who, accepted.id);
      expect(told).toHaveLength(2);
      expect(told[0]).toMatchObject({ reference: accepted.reference, payload: { status: 'accepted' } });
      // Which request moved, not what the step says: the origin reads that on the request.
      expect(JSON.stringify(told)).not.toContain('7788-9999');
    }
    expect(await notices(tf['my.liaison'], accepted.id)).toEqual([]);
    expect(await notices(tf['my.officer'], accepted.id)).toEqual([]);
  });

  it('a refused step tells nobody; the same step done right is told once', async () => {
    const accepted = await anAcceptedRequest(tf, framework, [aBankAccount({ accountNumber: '7788-0003' })]);
    const target = (accepted.targets as Array<{ id: string }>)[0]!;
    await tf['my.officer']
      .post(`${BASE}/${accepted.id}/targets/${target.id}/freeze`, {
        version: accepted.version + 1,
        outcome: 'not_found',
      })
      .expect(409);
    // The same step, now with the right version, is told once: the refused one left nothing behind.
    await tf['my.officer']
      .post(`${BASE}/${accepted.id}/targets/${target.id}/freeze`, {
        version: accepted.version,
        outcome: 'not_found',
      })
      .expect(200);
    expect(await notices(tf['kr.liaison'], accepted.id)).toHaveLength(1);
  });
});
