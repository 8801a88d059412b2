import request from 'supertest';
import { zipOf } from '../support/zip-files';
import { upload } from '../attachments/attachment-support';
import { describeChange } from '../security/security-support';
import { refusalFault, writeWatch } from '../probe-input4/probe-input4-support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (input round 7): ZIPs inside a ZIP, each deflated. The structure rule bounds what an upload's
 * own entries inflate to (ATTACHMENT_ZIP_MAX_EXPANDED_BYTES, `checkZipStructure`), and the ZIPs inside
 * are followed two deep to read their text (`readableLines`), every entry up to 32 MB inflated to look
 * at it; the text read counts against a budget, but entries that are no text (zeros) counted against
 * nothing.
 *
 * FINDING 3: a 26 KB ZIP storing `inner.zip`, which holds eight deflated copies of a ZIP of twenty
 * entries of 32 MB of zeros, inflated 5 GB over 25 s of server CPU and was stored (201); the inner ZIP
 * may be 32 MB and hold thousands of such copies, so a few MB from any officer keep the server busy for
 * days. Now the entries of the ZIPs inside may inflate to 1 GiB together, counted as each is opened,
 * past which the file is refused as unreadable (422).
 */
describe('Probe: ZIPs inside a ZIP that inflate past every bound', () => {
  let t: TestApp;
  let tf: TaskForce;
  let caseId: string;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    caseId = (
      await request(t.server)
        .post('/api/v1/cases')
        .set('Authorization', `Bearer ${tf['kr.officer'].tokens.accessToken}`)
        .send({ title: 'Probe input 7: nested ZIPs' })
        .expect(201)
    ).body.id as string;
  });
  afterAll(() => t?.close());

  it('FINDING 3: a ZIP under 64 KB whose inner ZIPs inflate 2.5 GB of zeros: a 422 problem, nothing stored', async () => {
    const zeros = Buffer.alloc(32 * 1024 * 1024 - 1024);
    const deepest = await zipOf(Array.from({ length: 20 }, (_, i) => [`zeros-${i}.bin`, zeros]));
    const inner = await zipOf(Array.from({ length: 4 }, (_, i) => [`part-${i}.zip`, deepest]));
    const zip = await zipOf([['inner.zip', inner, { compress: false }]]);
    expect(zip.length).toBeLessThan(64 * 1024);
    const watch = await writeWatch(t);
    const before = await watch();
    const res = await upload(t, tf['kr.officer'], `/cases/${caseId}/attachments`, zip, 'extract.zip');
    expect({ status: res.status, type: res.body.type, faults: refusalFault(res) }).toEqual({
      status: 422,
      type: 'urn:case-desk:problem:attachment-unreadable',
      faults: [],
    });
    expect(res.body.detail).toMatch(/ZIPs inside it inflate past 1073741824 bytes/);
    expect(describeChange(before, await watch())).toBe('');
  }, 120_000);

  it('a ZIP inside a ZIP inside a ZIP within the bound is still read: stored', async () => {
    const deepest = await zipOf([['calls.txt', Buffer.from('call log: +855 12 000 111\n')]]);
    const zip = await zipOf([['inner.zip', await zipOf([['deepest.zip', deepest]])]]);
    const res = await upload(t, tf['kr.officer'], `/cases/${caseId}/attachments`, zip, 'small.zip');
    expect(res.status).toBe(201);
  });
});
