import { upload } from '../attachments/attachment-support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { asAnEarlierUploadLeftIt, khFileGivenToKr } from './r44-support';

/**
 * Probe r44, a file uploaded before its numbers were read, uploaded again: KH's bank statement went to
 * KR before an upload kept the account numbers a file shows; KH then files the same bytes on a case of
 * its own. The upload reads them now and marks the bytes read, so the catch-up job never will: it
 * records them at KR itself, as of when the first upload reached KR, as the job would have.
 */
describe('Probe r44: the same bytes uploaded again record what the earlier upload gave', () => {
  let t: TestApp;
  let tf: TaskForce;
  const statement = Buffer.from('Date;Account;Amount\n04/03/2026;0071-2233-4455;12,500.00\n');

  const checkAtKr = async () =>
    (
      await tf['my.officer']
        .post('/identifier-checks', {
          partners: ['KR'],
          identifiers: [{ kind: 'bank_account', value: '007122334455' }],
        })
        .expect(201)
    ).body.results[0].answers as unknown;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const { sha256 } = await khFileGivenToKr(t, tf, statement, 'statement.csv');
    await asAnEarlierUploadLeftIt(t, sha256);
    await tf['kr.officer']
      .post('/persons', {
        names: [{ full: 'LEE Mule', script: 'latin', kind: 'primary' }],
        accounts: [{ type: 'bank_account', institutionName: 'ACLEDA', accountNumber: '007122334455' }],
      })
      .expect(201);
  });
  afterAll(() => t?.close());

  it('KH’s new upload of the bytes, on a case KR does not read, records the account at KR', async () => {
    expect(await checkAtKr()).toEqual([{ country: 'KR', answer: 'hit' }]);
    const own = (await tf['kh.officer'].post('/cases', { title: 'Statements, filed again' }).expect(201)).body
      .id as string;
    expect(
      (await upload(t, tf['kh.officer'], `/cases/${own}/attachments`, statement, 'again.csv')).status,
    ).toBe(201);
    expect(await checkAtKr()).toEqual([{ country: 'KR', answer: 'no_hit' }]);
  });
});
