import { upload } from '../attachments/attachment-support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { krHoldsAnEarlierFilesAccount, myCheckOfKrForTheAccount, STATEMENT } from './r44-support';

/**
 * Probe r44, a file uploaded before its numbers were read, uploaded again: KH's bank statement went to
 * KR before an upload kept the account numbers a file shows; KH then files the same bytes on a case of
 * its own. The upload reads them now and marks the bytes read, so the catch-up job never will: it
 * records them at KR itself, as of when the first upload reached KR, as the job would have.
 */
describe('Probe r44: the same bytes uploaded again record what the earlier upload gave', () => {
  let t: TestApp;
  let tf: TaskForce;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await krHoldsAnEarlierFilesAccount(t, tf);
  });
  afterAll(() => t?.close());

  it('KH’s new upload of the bytes, on a case KR does not read, records the account at KR', async () => {
    expect(await myCheckOfKrForTheAccount(tf)).toEqual([{ country: 'KR', answer: 'hit' }]);
    const own = (await tf['kh.officer'].post('/cases', { title: 'Statements, filed again' }).expect(201)).body
      .id as string;
    expect(
      (await upload(t, tf['kh.officer'], `/cases/${own}/attachments`, STATEMENT, 'again.csv')).status,
    ).toBe(201);
    expect(await myCheckOfKrForTheAccount(tf)).toEqual([{ country: 'KR', answer: 'no_hit' }]);
  });
});
