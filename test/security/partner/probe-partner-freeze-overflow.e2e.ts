import {
  aBankAccount,
  anAcceptedRequest,
  koreaMalaysiaFramework,
} from '../../asset-freezes/asset-freeze-scenario';
import { taskForce, TaskForce } from '../../support/scenario';
import { createTestApp, TestApp } from '../../support/test-app';

/**
 * Probe (hostile input, less-travelled endpoint): an amount may have 20 integer digits, and "a later
 * `frozen` adds funds caught afterwards". Two valid `frozen` steps whose sum needs 21 integer digits
 * overflow the target's `numeric(38,18)` ledger column: a 500 instead of a 4xx problem.
 */
describe('Probe (freeze ledger): a second frozen step past 20 integer digits', () => {
  let t: TestApp;
  let tf: TaskForce;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  }, 120_000);
  afterAll(() => t?.close());

  it('answers a 4xx problem, never a 500, and changes nothing', async () => {
    const big = { amount: '99999999999999999999.99', currency: 'MYR' };
    const accepted = await anAcceptedRequest(tf, await koreaMalaysiaFramework(t), [
      aBankAccount({ amountSought: { amount: '99999999999999999999', currency: 'MYR' } }),
    ]);
    const target = accepted.targets[0].id;
    const path = `/asset-freeze-requests/${accepted.id}/targets/${target}/freeze`;
    const first = await tf['my.officer']
      .post(path, { version: accepted.version, outcome: 'frozen', amount: big })
      .expect(200);
    const second = await tf['my.officer'].post(path, {
      version: first.body.version,
      outcome: 'frozen',
      amount: big,
    });
    const after = (await tf['my.officer'].get(`/asset-freeze-requests/${accepted.id}`).expect(200)).body;
    expect({
      status: second.status < 500 ? '4xx' : `${second.status}`,
      problem:
        typeof second.body.type === 'string' && second.body.type !== 'urn:case-desk:problem:internal-error',
      version: after.version,
    }).toEqual({ status: '4xx', problem: true, version: first.body.version });
  });
});
