import { OWN_NUMBERS_CATCH_UP_JOB } from '../../src/attachments/own-numbers-catch-up.service';
import { JobsService } from '../../src/jobs/jobs.service';
import { RELEASE_REFUSED } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { krHoldsAnEarlierFilesAccount, myCheckOfKrForTheAccount } from './r44-support';

/**
 * Probe r44, files uploaded before their own numbers were read: KH's bank statement, given KR under
 * AMBER before an upload kept the account numbers a file shows, left KR holding them as its own. The
 * catch-up job reads such a file, keeps what it shows, and records KR as having received it from KH,
 * under the code the file went by. Here the statement is put back as such a file left the database:
 * no reading of it, no numbers kept, no receipt at KR.
 */
describe('Probe r44: a file uploaded before its numbers were read is read by the catch-up', () => {
  let t: TestApp;
  let tf: TaskForce;
  let sha256: string;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    sha256 = await krHoldsAnEarlierFilesAccount(t, tf);
  });
  afterAll(() => t?.close());

  it('before the catch-up KR holds the account as its own; after it, as KH’s, and MY’s check finds nothing', async () => {
    expect(await myCheckOfKrForTheAccount(tf)).toEqual([{ country: 'KR', answer: 'hit' }]);
    const jobs = t.app.get(JobsService);
    await jobs.runNow(OWN_NUMBERS_CATCH_UP_JOB);
    expect(await myCheckOfKrForTheAccount(tf)).toEqual([{ country: 'KR', answer: 'no_hit' }]);
  });

  it('KR’s case holding its person with the account is refused to MY', async () => {
    const [person] = (await tf['kr.officer'].get('/persons?account=007122334455').expect(200)).body
      .items as Array<{
      id: string;
    }>;
    const krCase = (
      await tf['kr.officer']
        .post('/cases', { title: 'Mules', persons: [{ personId: person!.id, role: 'suspect' }] })
        .expect(201)
    ).body.id as string;
    const share = await tf['kr.liaison'].post(`/cases/${krCase}/shares`, { countryCode: 'MY' });
    expect(share.status).toBe(409);
    expect(share.body.type).toBe(RELEASE_REFUSED);
  });

  it('the reading is audited for KH once, naming where the numbers were recorded; a second run reads nothing', async () => {
    await t.app.get(JobsService).runNow(OWN_NUMBERS_CATCH_UP_JOB);
    const events = (
      await tf['kh.auditor'].get('/audit-events?action=attachment.own_numbers_read').expect(200)
    ).body.items as Array<{ actor: unknown; changes: unknown; details?: unknown }>;
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0])).toContain(sha256);
    expect(JSON.stringify(events[0])).toContain('"recordedAsReceivedBy":["KR"]');
    const krEvents = (
      await tf['kr.auditor'].get('/audit-events?action=attachment.own_numbers_read').expect(200)
    ).body.items as unknown[];
    expect(krEvents).toEqual([]);
  });
});
