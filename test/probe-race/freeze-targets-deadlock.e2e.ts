import { createTestApp, TestApp } from '../support/test-app';
import { taskForce, TaskForce } from '../support/scenario';
import {
  aBankAccount,
  aFreezeDraft,
  BASE,
  koreaMalaysiaFramework,
} from '../asset-freezes/asset-freeze-scenario';

/**
 * Probe race: KR's officers draft freeze requests at once that name the same accounts, each listing them
 * in its own order. One account may be on one open request only: the first draft gets 201, the others
 * 409 `duplicate-freeze-target`. But `insertTarget` (src/asset-freezes/asset-freeze-requests.service.ts)
 * inserts the targets in the caller's order, each insert waiting on the other transaction's uncommitted
 * row of the same key (`asset_freeze_target_open_key`): two drafts listing shared accounts in different
 * orders wait on each other, PostgreSQL kills one with `deadlock detected`, the re-runs (5 attempts)
 * deadlock again, and the caller gets a 500 (logged: QueryFailedError "deadlock detected") after seconds.
 */
describe('Freeze drafts naming the same accounts in different orders at once', () => {
  let t: TestApp;
  let tf: TaskForce;
  let framework: string;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    framework = await koreaMalaysiaFramework(t);
  });
  afterAll(() => t?.close());

  /** Deterministic shuffles (a seeded Fisher–Yates): each caller lists them in another order. */
  const orderFor = <T>(items: T[], seed: number) => {
    let state = seed * 2654435761;
    const next = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };

  it('one draft is created, the others get 409 duplicate-freeze-target, none a 500', async () => {
    const rounds: string[] = [];
    for (let round = 0; round < 4; round++) {
      const targets = Array.from({ length: 10 }, (_, i) =>
        aBankAccount({ accountNumber: `77${round}-${String(i).padStart(4, '0')}` }),
      );
      const responses = await Promise.all(
        Array.from({ length: 6 }, (_, caller) =>
          tf[caller % 2 ? 'kr.officer' : 'kr.officer2'].post(
            BASE,
            aFreezeDraft(framework, orderFor(targets, round * 10 + caller + 1)),
          ),
        ),
      );
      rounds.push(
        responses
          .map((r) => r.status)
          .sort()
          .join(' '),
      );
      for (const refused of responses.filter((r) => r.status === 409))
        expect(refused.body.type).toBe('urn:case-desk:problem:duplicate-freeze-target');
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM asset_freeze_target WHERE account_number LIKE $1`,
        [`77${round}-%`],
      );
      expect(n).toBe(10);
    }
    // Each round: exactly one 201, five 409s.
    expect(rounds).toEqual(Array(4).fill('201 409 409 409 409 409'));
  }, 400_000);
});
