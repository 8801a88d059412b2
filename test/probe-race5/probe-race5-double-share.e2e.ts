import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { broken, said, together } from './race5-support';

/**
 * Probe race 5: KR's liaison shares one case with MY twice at once, under two handling codes (AMBER and
 * the looser GREEN). A case shared with a country already is refused (409), so exactly one share may
 * succeed, and MY may hold what the case carries under that share's code only: no `person_provenance`
 * or `identifier_provenance` row for MY under the other code (a receipt under GREEN for a share that
 * was refused would let MY pass the person on as GREEN). The case holds KR's own person with a phone of
 * KR's.
 */
describe('Two shares of one case with MY at once, under AMBER and GREEN', () => {
  let t: TestApp;
  let tf: TaskForce;
  const ROUNDS = 6;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  }, 120_000);
  afterAll(() => t?.close());

  /**
   * One round: a fresh case holding KR's person (with a phone of KR's), shared (and the share revoked)
   * first when `again`, then shared with MY under AMBER and GREEN together. MY's receipts counted are
   * those written after the revocation, if any.
   */
  const race = async (round: number, again: boolean): Promise<string> => {
    const own = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: `KIM Twice ${again ? 'again ' : ''}${round}`, script: 'latin', kind: 'primary' }],
          phones: [`+8210${again ? 666 : 555}${String(1000 + round)}`],
        })
        .expect(201)
    ).body.id as string;
    const id = (
      await tf['kr.officer']
        .post('/cases', { title: `Shared twice ${round}`, persons: [{ personId: own, role: 'suspect' }] })
        .expect(201)
    ).body.id as string;
    if (again) {
      await tf['kr.liaison']
        .post(`/cases/${id}/shares`, { countryCode: 'MY', handlingCode: 'AMBER' })
        .expect(201);
      await tf['kr.liaison']
        .delete(`/cases/${id}/shares/MY`)
        .expect((r) => expect(r.status).toBeLessThan(300));
    }
    const share = (handlingCode: string) => () =>
      tf['kr.liaison'].post(`/cases/${id}/shares`, { countryCode: 'MY', handlingCode });
    const [amber, green] = await together(round, share('AMBER'), share('GREEN'), 1);
    const won = amber.status === 201 ? 'AMBER' : green.status === 201 ? 'GREEN' : null;
    const codes = async (table: string) =>
      (
        await t.dataSource.query(
          `SELECT DISTINCT handling_code FROM ${table}
            WHERE receiving_country = 'MY' AND via_type = 'case' AND via_id = $1
              AND released_at > coalesce((SELECT max(revoked_at) FROM case_share WHERE case_id = $1), '-infinity')
            ORDER BY 1`,
          [id],
        )
      ).map((r: { handling_code: string }) => r.handling_code);
    const persons = await codes('person_provenance');
    const identifiers = await codes('identifier_provenance');
    const [{ shares }] = await t.dataSource.query(
      `SELECT count(*)::int AS shares FROM case_share WHERE case_id = $1 AND country_code = 'MY' AND revoked_at IS NULL`,
      [id],
    );
    const ok =
      [amber.status, green.status].sort().join() === '201,409' &&
      shares === 1 &&
      persons.join() === won &&
      // After a revocation a number MY holds under the same code already is not received again.
      identifiers.every((c: string) => c === won) &&
      (again || identifiers.join() === won);
    return (
      `round ${round}: AMBER ${said(amber)}, GREEN ${said(green)}, live case shares ${shares}, ` +
      `person receipts [${persons.join()}], identifier receipts [${identifiers.join()}]: ${ok ? 'held' : 'broken'}`
    );
  };

  it('exactly one succeeds, and MY’s receipts carry its code only', async () => {
    const lines: string[] = [];
    for (let round = 0; round < ROUNDS; round++) lines.push(await race(round, false));
    expect(broken(lines, (l) => l.endsWith('held'))).toEqual([]);
  }, 300_000);

  it('the same for a case whose earlier share with MY was revoked', async () => {
    const lines: string[] = [];
    for (let round = 0; round < ROUNDS; round++) lines.push(await race(round, true));
    expect(broken(lines, (l) => l.endsWith('held'))).toEqual([]);
  }, 300_000);
});
