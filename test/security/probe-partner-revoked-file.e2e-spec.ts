import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aPdf, download, sha256, upload } from '../attachments/attachment-support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (revoked share, TLP): KH shares a case with KR under AMBER, with a file on it; KR downloads the
 * file. Files travel by their bytes: KR may not pass them to MY. Once KH revokes the share, KR still
 * holds the bytes it downloaded, but the rule only counts bytes on records KR can read today
 * (`ProvenanceStore.foreignFiles`), so the same bytes go to MY.
 */
describe('Probe (revoked share): AMBER file bytes reach a third country once the share is revoked', () => {
  let t: TestApp;
  let tf: TaskForce;
  let dataDir: string;
  let khCase: string;
  let krCase: string;
  const bytes = aPdf(4_000, `revoked-${randomUUID()}`);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'probe-revoked-file-'));
    t = await createTestApp({}, { DATA_DIR: dataDir });
    tf = await taskForce(t);
    khCase = (await tf['kh.officer'].post('/cases', { title: 'KH evidence' }).expect(201)).body.id;
    await upload(t, tf['kh.officer'], `/cases/${khCase}/attachments`, bytes, 'ledger.pdf').expect(201);
    await tf['kh.liaison']
      .post(`/cases/${khCase}/shares`, { countryCode: 'KR', handlingCode: 'AMBER' })
      .expect(201);
    const files = (await tf['kr.officer'].get(`/cases/${khCase}/attachments`).expect(200)).body.items;
    const got = await download(t, tf['kr.officer'], files[0].id).expect(200);
    expect(sha256(got.body as Buffer)).toBe(sha256(bytes));
    krCase = (await tf['kr.officer'].post('/cases', { title: 'KR case for MY' }).expect(201)).body.id;
    await tf['kr.liaison'].post(`/cases/${krCase}/shares`, { countryCode: 'MY' }).expect(201);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('control: while the share stands, KR may not attach the bytes to its case shared with MY', async () => {
    const res = await upload(t, tf['kr.officer'], `/cases/${krCase}/attachments`, bytes, 'copy.pdf');
    expect(`${res.status} ${res.body.type}`).toBe('409 urn:case-desk:problem:release-refused');
  });

  it('after KH revokes the share, the bytes KR kept are still refused for MY', async () => {
    await tf['kh.liaison']
      .delete(`/cases/${khCase}/shares/KR`)
      .expect((r) => expect(r.status).toBeLessThan(300));
    const res = await upload(t, tf['kr.officer'], `/cases/${krCase}/attachments`, bytes, 'copy.pdf');
    let myReads = false;
    if (res.status === 201) {
      const got = await download(t, tf['my.officer'], res.body.id);
      myReads = got.status === 200 && sha256(got.body as Buffer) === sha256(bytes);
    }
    expect({ status: res.status, myReadsKhBytes: myReads }).toEqual({ status: 409, myReadsKhBytes: false });
  });
});
