import { upload } from '../attachments/attachment-support';
import { RELEASE_REFUSED } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { khFileGivenToKr } from './r44-support';

/**
 * Probe r44, the rest of finding 1: an account number and a passport number KH wrote only inside a bank
 * statement it gave KR under AMBER were KR's own for the release rule, as the phones were before. KR
 * typed them into a person of its own (written as KR's officer would: without the dashes, the spaces)
 * and shared the person's case with MY, asked MY to freeze the account, and MY's hit/no-hit check found
 * them at KR. The account and document numbers a file shows now reach the country it goes to as
 * received from the file's holder, under the code it went by.
 */
describe('Probe r44: an account or passport number KH gave KR only inside an AMBER file stays AMBER', () => {
  let t: TestApp;
  let tf: TaskForce;
  const account = '0071-2233-4455';
  const passport = 'N-5664 4249';
  const statement = Buffer.from(
    [
      'Date;Account;Holder;Reference;Amount',
      `04/03/2026;${account};SOK Dara (passport ${passport});TRF 88;12,500.00`,
      '05/03/2026 10:05;cash;-;TRF 89;3,000.00',
    ].join('\n'),
  );

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await khFileGivenToKr(t, tf, statement, 'statement.csv');
  });
  afterAll(() => t?.close());

  async function krCaseWith(person: object): Promise<{ caseId: string; personId: string }> {
    const personId = (
      await tf['kr.officer']
        .post('/persons', { names: [{ full: 'LEE Mule', script: 'latin', kind: 'primary' }], ...person })
        .expect(201)
    ).body.id as string;
    const caseId = (
      await tf['kr.officer']
        .post('/cases', { title: 'Mules', persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body.id as string;
    return { caseId, personId };
  }

  it('KR’s person holding the account, or the passport, does not go to MY, and MY reads nothing of it', async () => {
    for (const person of [
      { accounts: [{ type: 'bank_account', institutionName: 'ACLEDA', accountNumber: '007122334455' }] },
      { documents: [{ type: 'passport', number: 'N56644249', issuingCountry: 'KH' }] },
    ]) {
      const { caseId, personId } = await krCaseWith(person);
      const share = await tf['kr.liaison'].post(`/cases/${caseId}/shares`, { countryCode: 'MY' });
      expect(share.status).toBe(409);
      expect(share.body.type).toBe(RELEASE_REFUSED);
      await tf['my.officer'].get(`/persons/${personId}`).expect(404);
    }
  });

  it('MY’s hit/no-hit check finds neither at KR, where it finds an account of KR’s own', async () => {
    await krCaseWith({
      accounts: [
        { type: 'bank_account', institutionName: 'ACLEDA', accountNumber: '007122334455' },
        { type: 'bank_account', institutionName: 'KB Kookmin', accountNumber: '654321-04-098765' },
      ],
      documents: [{ type: 'passport', number: 'N56644249', issuingCountry: 'KH' }],
    });
    const check = (
      await tf['my.officer']
        .post('/identifier-checks', {
          partners: ['KR'],
          identifiers: [
            { kind: 'bank_account', value: '007122334455' },
            { kind: 'passport', value: 'N56644249', issuingCountry: 'KH' },
            { kind: 'bank_account', value: '654321-04-098765' },
          ],
        })
        .expect(201)
    ).body as { results: Array<{ answers: unknown }> };
    expect(check.results.map((r) => r.answers)).toEqual([
      [{ country: 'KR', answer: 'no_hit' }],
      [{ country: 'KR', answer: 'no_hit' }],
      [{ country: 'KR', answer: 'hit' }],
    ]);
  });

  it('KR’s statement of its own, naming accounts of its own, still goes to MY', async () => {
    const { caseId } = await krCaseWith({
      accounts: [{ type: 'bank_account', institutionName: 'KB Kookmin', accountNumber: '123456-04-567890' }],
    });
    await tf['kr.liaison'].post(`/cases/${caseId}/shares`, { countryCode: 'MY' }).expect(201);
    const own = Buffer.from('Date;Account;Amount\n06/03/2026;123456-04-567890;5,000.00\n');
    expect((await upload(t, tf['kr.officer'], `/cases/${caseId}/attachments`, own, 'own.csv')).status).toBe(
      201,
    );
  });
});
