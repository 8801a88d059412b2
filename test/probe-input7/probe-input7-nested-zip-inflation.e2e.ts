import request from 'supertest';
import { craftedZip, deflatedZeros, zipOf } from '../support/zip-files';
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
 *
 * The app here holds the ZIPs inside to 64 MiB (ATTACHMENT_NESTED_ZIP_MAX_INFLATED_BYTES; 1 GiB by
 * default): the same count refuses the same file after 32 MiB of zeros instead of a whole GiB (23 s of a
 * test run's CPU, the most of any test here). Without the count the file inflates all its 2.6 GB and is
 * stored, whatever the bound.
 */
const NESTED_MAX = 64 * 1024 * 1024;
describe('Probe: ZIPs inside a ZIP that inflate past every bound', () => {
  let t: TestApp;
  let tf: TaskForce;
  let caseId: string;
  beforeAll(async () => {
    t = await createTestApp({}, { ATTACHMENT_NESTED_ZIP_MAX_INFLATED_BYTES: String(NESTED_MAX) });
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
    // Twenty entries of 31 MiB of zeros (each under the 32 MB read in memory), deflated once: building
    // them with a ZIP writer deflated 620 MiB in the test (3 s).
    const zeros = deflatedZeros(31);
    const deepest = craftedZip(
      Array.from({ length: 20 }, (_, i) => ({
        name: `zeros-${i}.bin`,
        data: Buffer.alloc(0),
        deflated: zeros,
      })),
    );
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
    expect(res.body.detail).toMatch(new RegExp(`ZIPs inside it inflate past ${NESTED_MAX} bytes`));
    expect(describeChange(before, await watch())).toBe('');
  }, 120_000);

  it('a ZIP inside a ZIP inside a ZIP within the bound is still read: stored', async () => {
    const deepest = await zipOf([['calls.txt', Buffer.from('call log: +855 12 000 111\n')]]);
    const zip = await zipOf([['inner.zip', await zipOf([['deepest.zip', deepest]])]]);
    const res = await upload(t, tf['kr.officer'], `/cases/${caseId}/attachments`, zip, 'small.zip');
    expect(res.status).toBe(201);
  });
});
