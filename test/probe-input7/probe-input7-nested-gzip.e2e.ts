import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { aZip } from '../support/zip-files';
import { upload } from '../attachments/attachment-support';
import { describeChange } from '../security/security-support';
import { refusalFault, writeWatch } from '../probe-input4/probe-input4-support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (input round 7): gzip inside gzip inside a ZIP. Every upload is read for the numbers and phones
 * it shows (`readableLines`); a ZIP entry that is a gzip file is gunzipped and read by what it holds,
 * again and again, without counting the layers (ZIPs inside ZIPs stop at two). Each layer is one more
 * async generator in a `yield*` chain.
 *
 * FINDING 2: a 70 KB ZIP whose one entry is 3,000 gzip layers around a line of text (`gzip -0` adds 23
 * bytes a layer) answered **500 internal-error**: "RangeError: Maximum call stack size exceeded" in
 * `bufferLines` (src/attachments/readable-text.ts), from any officer on the officer's own case. Now a
 * gzip file holding another is followed two layers deep (as ZIPs are), past which the file is refused
 * as unreadable (422).
 */
describe('Probe: gzip inside gzip inside a ZIP', () => {
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
        .send({ title: 'Probe input 7: nested gzip' })
        .expect(201)
    ).body.id as string;
  });
  afterAll(() => t?.close());

  const layered = (layers: number) => {
    let bytes = Buffer.from('call log: +855 12 000 111 at 02:30\n');
    for (let i = 0; i < layers; i++) bytes = gzipSync(bytes, { level: 0 });
    return bytes;
  };

  it('FINDING 2: a ZIP whose entry is 3,000 gzip layers deep: a 422 problem, not a 500, nothing stored', async () => {
    const zip = await aZip([['calls.txt.gz', layered(3000)]], false);
    expect(zip.length).toBeLessThan(100 * 1024);
    const watch = await writeWatch(t);
    const before = await watch();
    const res = await upload(t, tf['kr.officer'], `/cases/${caseId}/attachments`, zip, 'calls.zip');
    expect({ status: res.status, type: res.body.type, faults: refusalFault(res) }).toEqual({
      status: 422,
      type: 'urn:case-desk:problem:attachment-unreadable',
      faults: [],
    });
    expect(res.body.detail).toMatch(/gzip/);
    expect(describeChange(before, await watch())).toBe('');
  });

  it('a gzip file inside a gzip file inside a ZIP is still read: stored', async () => {
    const zip = await aZip([['calls.txt.gz.gz', layered(2)]], false);
    const res = await upload(t, tf['kr.officer'], `/cases/${caseId}/attachments`, zip, 'calls2.zip');
    expect(res.status).toBe(201);
  });

  it('a 5 KB ZIP of gzip files around 480 MB of spaces is refused (422) after 64 MB of text, nothing stored', async () => {
    const spaces = gzipSync(gzipSync(Buffer.alloc(32 * 1024 * 1024, ' '), { level: 9 }), { level: 9 });
    const zip = await aZip(
      Array.from({ length: 15 }, (_, i): [string, Buffer] => [`log-${i}.txt.gz`, spaces]),
      false,
    );
    expect(zip.length).toBeLessThan(8 * 1024);
    const watch = await writeWatch(t);
    const before = await watch();
    const res = await upload(t, tf['kr.officer'], `/cases/${caseId}/attachments`, zip, 'logs.zip');
    expect({ status: res.status, type: res.body.type }).toEqual({
      status: 422,
      type: 'urn:case-desk:problem:attachment-unreadable',
    });
    expect(res.body.detail).toMatch(/bytes of text/);
    expect(describeChange(before, await watch())).toBe('');
  });

  it('a small ZIP of a gzipped log of 25 MB (within the least any file may hold) is still read through: stored', async () => {
    const log = gzipSync(
      Buffer.from('the courier met the compound boss at the market, left by boat\n'.repeat(400_000)),
    );
    const zip = await aZip([['notes.log.gz', log]], false);
    expect(zip.length).toBeLessThan(1024 * 1024);
    const res = await upload(t, tf['kr.officer'], `/cases/${caseId}/attachments`, zip, 'notes.zip');
    expect(res.status).toBe(201);
  });
});
