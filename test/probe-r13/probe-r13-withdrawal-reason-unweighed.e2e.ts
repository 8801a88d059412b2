import { upload } from '../attachments/attachment-support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 13): the reason a file is withdrawn with reaches the other country without the release
 * rule. KH gives KR a person whose phone is +85512000777 under AMBER+STRICT (a case share): KR may pass
 * that number to nobody. KR has a case of its own shared with Malaysia, with a file on it. Written into
 * the case's summary, the number is refused (409, every text another country reads is weighed: README
 * "Numbers in free text are weighed in"). Written into the reason KR withdraws the file with
 * (`POST /attachments/:id/withdraw`), it goes: src/attachments/attachments.service.ts `withdraw` weighs
 * nothing, and MY reads `withdrawalReason` on the file (`GET /attachments/:id` and the case's file
 * listing). The same path carries text after cooperation ended: a withdrawal of a shared
 * case's file is still allowed then (an edit of the case answers 409 `no-active-framework`), and the
 * partner reads the new reason.
 * Fix: weigh a withdrawal reason like every step's reason (`ReleaseService.releaseText` to each country
 * that reads the file's record), or keep the reason with the country that withdrew the file.
 */
describe('Probe r13: a withdrawal reason carries an AMBER+STRICT number to a third country', () => {
  let t: TestApp;
  let tf: TaskForce;
  let summaryEdit: number;
  let myReads: string | null | undefined;
  const phone = '+85512000777';

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const person = (
      await tf['kh.officer']
        .post('/persons', {
          names: [{ full: 'SOK Strictphone', script: 'latin', kind: 'primary' }],
          nationalities: ['KH'],
          phones: [phone],
        })
        .expect(201)
    ).body;
    const khCase = (
      await tf['kh.officer']
        .post('/cases', { title: 'Kep compound', persons: [{ personId: person.id, role: 'suspect' }] })
        .expect(201)
    ).body;
    await tf['kh.liaison']
      .post(`/cases/${khCase.id}/shares`, { countryCode: 'KR', handlingCode: 'AMBER+STRICT' })
      .expect(201);
    const krCase = (await tf['kr.officer'].post('/cases', { title: 'Seoul call centre' }).expect(201)).body;
    const fileId = (
      await upload(
        t,
        tf['kr.officer'],
        `/cases/${krCase.id}/attachments`,
        Buffer.from('Subscriber report\n'),
        'report.txt',
      ).expect(201)
    ).body.id;
    await tf['kr.liaison']
      .post(`/cases/${krCase.id}/shares`, { countryCode: 'MY', handlingCode: 'AMBER' })
      .expect(201);
    const reason = `Duplicate of the subscriber report on ${phone}`;
    summaryEdit = (
      await tf['kr.officer'].patch(`/cases/${krCase.id}`, { summary: reason, version: krCase.version })
    ).status;
    // Today 200; a refusal (409 release-refused) would keep the promise as well.
    await tf['kr.officer'].post(`/attachments/${fileId}/withdraw`, { reason });
    myReads = (await tf['my.officer'].get(`/attachments/${fileId}`).expect(200)).body.withdrawalReason;
  }, 120_000);
  afterAll(() => t?.close());

  it('the number may not go to MY in the case’s own text', () => {
    expect(summaryEdit).toBe(409);
  });

  it('nor in the reason a file of the case is withdrawn with', () => {
    expect(myReads ?? '').not.toContain('85512000777');
  });
});
