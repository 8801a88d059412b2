import {
  aBankAccount,
  anAcceptedRequest,
  koreaMalaysiaFramework,
} from '../asset-freezes/asset-freeze-scenario';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { download, upload } from './attachment-support';

/**
 * Withdrawn content stays with the auditors of the country that gave and withdrew the file (probe r13,
 * finding 6). On a request or a freeze target either side gives files, all stored under the origin:
 * a file the target withdrew is read back by the target's auditors, not the origin's; one the origin
 * withdrew by the origin's, not the target's.
 */
describe('A withdrawn file is read by the auditors of the country that gave it', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  }, 120_000);
  afterAll(() => t?.close());

  const text = (res: { body: unknown }) => (res.body as Buffer).toString();

  it('on an information request the target withdrew a file from', async () => {
    const request = await givenIn(tf).anInformationRequest().from('KR').sentTo('KH').accepted();
    const path = `/information-requests/${request.id}/attachments`;
    const findings = (
      await upload(t, tf['kh.officer'], path, Buffer.from('KH findings, withdrawn\n'), 'findings.txt').expect(
        201,
      )
    ).body.id;
    await tf['kh.officer']
      .post(`/attachments/${findings}/withdraw`, { reason: 'Sent by mistake' })
      .expect(200);

    expect(text(await download(t, tf['kh.auditor'], findings).expect(200))).toBe('KH findings, withdrawn\n');
    await download(t, tf['kr.auditor'], findings).expect(410);
    await download(t, tf['kh.officer'], findings).expect(410);
  });

  it('on a freeze target, whichever side withdrew', async () => {
    const freeze = await anAcceptedRequest(tf, await koreaMalaysiaFramework(t), [aBankAccount()]);
    const path = `/asset-freeze-requests/${freeze.id}/targets/${freeze.targets[0].id}/attachments`;
    const statement = (
      await upload(t, tf['kr.officer'], path, Buffer.from('KR statement\n'), 'statement.txt').expect(201)
    ).body.id;
    const order = (
      await upload(t, tf['my.officer'], path, Buffer.from('MY freeze order\n'), 'order.txt').expect(201)
    ).body.id;
    await tf['kr.officer']
      .post(`/attachments/${statement}/withdraw`, { reason: 'Wrong account' })
      .expect(200);
    await tf['my.officer'].post(`/attachments/${order}/withdraw`, { reason: 'Wrong order' }).expect(200);

    expect(text(await download(t, tf['kr.auditor'], statement).expect(200))).toBe('KR statement\n');
    await download(t, tf['my.auditor'], statement).expect(410);
    expect(text(await download(t, tf['my.auditor'], order).expect(200))).toBe('MY freeze order\n');
    await download(t, tf['kr.auditor'], order).expect(410);
  });
});
