import { RefoldReceivedIdentifierKeys1763800810000 } from '../../migrations/1763800810000-RefoldReceivedIdentifierKeys';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { frameworkId, identifiersKhGaveKr, RELEASE_REFUSED } from '../sharing/support';

/**
 * A number received before session 14's folding (which drops Hangul fillers and other characters that
 * render as nothing) was recorded under a key that kept them. The number written plainly no longer met
 * that receipt, so KR could pass to MY, written plainly, an account KH gave it under AMBER+STRICT.
 * Migration 1763800810000 gives each such receipt a twin under today's key.
 */
describe('Receipts recorded under a key folded the old way still hold the number back', () => {
  let t: TestApp;
  let tf: TaskForce;
  let krMy: string;
  const account = '703958216644';

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    krMy = await frameworkId(t, 'Korea–Malaysia');
    await identifiersKhGaveKr(tf, 'AMBER+STRICT', {
      bankAccounts: [{ institution: 'ABA Bank', accountNumber: account }],
    });
  }, 120_000);
  afterAll(() => t?.close());

  const ask = () =>
    tf['kr.officer'].post('/information-requests', {
      frameworkId: krMy,
      targetCountry: 'MY',
      priority: 'urgent',
      handlingCode: 'AMBER',
      subject: 'Mule accounts',
      questions: ['Who holds this account?'],
      identifiers: { bankAccounts: [{ institution: 'Maybank', accountNumber: account }] },
    });
  const outcome = async () => {
    const res = await ask();
    return `${res.status} ${res.body.type ?? ''}`.trim();
  };

  it('KR’s request to MY naming the account is refused once the old keys are refolded', async () => {
    expect(await outcome()).toBe(`409 ${RELEASE_REFUSED}`); // today's receipts: the rule works
    // What KR's receipts looked like when the account came with a Hangul filler in it, before
    // session 14: the filler kept in the key (a letter by category).
    const rekeyed = await t.dataSource.query(
      `UPDATE identifier_provenance SET identifier = substr(identifier, 1, 7) || chr(12644) || substr(identifier, 8)
        WHERE receiving_country = 'KR' AND identifier LIKE 'id:%' RETURNING identifier`,
    );
    expect(rekeyed.length).toBeGreaterThan(0);
    expect((await ask()).status).toBe(201); // the old data's gap, as it stood (a draft MY never sees)

    const runner = t.dataSource.createQueryRunner();
    try {
      await new RefoldReceivedIdentifierKeys1763800810000().up(runner);
      await new RefoldReceivedIdentifierKeys1763800810000().up(runner); // again: adds nothing twice
    } finally {
      await runner.release();
    }
    expect(await outcome()).toBe(`409 ${RELEASE_REFUSED}`);
    const twins = await t.dataSource.query(
      `SELECT identifier, count(*)::int AS n FROM identifier_provenance
        WHERE receiving_country = 'KR' AND identifier !~ '[^ -~]' GROUP BY identifier HAVING count(*) > 1`,
    );
    expect(twins).toEqual([]);
  });
});
