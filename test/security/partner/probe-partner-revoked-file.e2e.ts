import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aPdf, download, sha256, upload } from '../../attachments/attachment-support';
import { signIn } from '../../support/http';
import { send } from '../../sharing/support';
import { aDraft } from '../../support/scenario';
import { taskForce, TaskForce } from '../../support/scenario';
import { createTestApp, TestApp } from '../../support/test-app';

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

  /** KR's upload of `bytes` to its case shared with MY: the status, and whether MY then reads them. */
  async function krPassesToMy(b: Buffer): Promise<number> {
    const res = await upload(t, tf['kr.officer'], `/cases/${krCase}/attachments`, b, 'copy.pdf');
    return res.status;
  }

  it('a file KH adds to the case while it is shared (not at share time) stays received after the revoke', async () => {
    const kase = (await tf['kh.officer'].post('/cases', { title: 'KH later file' }).expect(201)).body.id;
    await tf['kh.liaison']
      .post(`/cases/${kase}/shares`, { countryCode: 'KR', handlingCode: 'AMBER' })
      .expect(201);
    const later = aPdf(4_000, `later-${randomUUID()}`);
    await upload(t, tf['kh.officer'], `/cases/${kase}/attachments`, later, 'later.pdf').expect(201);
    await tf['kh.liaison']
      .delete(`/cases/${kase}/shares/KR`)
      .expect((r) => expect(r.status).toBeLessThan(300));
    expect(await krPassesToMy(later)).toBe(409);
  });

  it('a file on a KH person that reached KR in a shared case stays received after the revoke', async () => {
    const person = (
      await tf['kh.officer']
        .post('/persons', { names: [{ full: 'KH filed person', script: 'latin', kind: 'primary' }] })
        .expect(201)
    ).body.id;
    const photo = aPdf(4_000, `person-${randomUUID()}`);
    await upload(t, tf['kh.officer'], `/persons/${person}/attachments`, photo, 'person.pdf').expect(201);
    const kase = (
      await tf['kh.officer']
        .post('/cases', { title: 'KH person case', persons: [{ personId: person, role: 'suspect' }] })
        .expect(201)
    ).body.id;
    await tf['kh.liaison']
      .post(`/cases/${kase}/shares`, { countryCode: 'KR', handlingCode: 'AMBER' })
      .expect(201);
    await tf['kh.liaison']
      .delete(`/cases/${kase}/shares/KR`)
      .expect((r) => expect(r.status).toBeLessThan(300));
    expect(await krPassesToMy(photo)).toBe(409);
  });

  it('bytes KH attached only after the revoke never reached KR: KR’s own copy of them goes to MY', async () => {
    const kase = (await tf['kh.officer'].post('/cases', { title: 'KH after revoke' }).expect(201)).body.id;
    await tf['kh.liaison']
      .post(`/cases/${kase}/shares`, { countryCode: 'KR', handlingCode: 'AMBER' })
      .expect(201);
    await tf['kh.liaison']
      .delete(`/cases/${kase}/shares/KR`)
      .expect((r) => expect(r.status).toBeLessThan(300));
    const after = aPdf(4_000, `after-${randomUUID()}`);
    await upload(t, tf['kh.officer'], `/cases/${kase}/attachments`, after, 'after.pdf').expect(201);
    expect(await krPassesToMy(after)).toBe(201);
  });

  it('a request’s file is received once the request is sent, and not while it is a draft', async () => {
    const draft = (
      await tf['kh.officer']
        .post(
          '/information-requests',
          aDraft(tf.cambodiaKoreaFramework, {
            targetCountry: 'KR',
            handlingCode: 'AMBER',
            subject: 'File check',
            questions: ['Is this yours?'],
          }),
        )
        .expect(201)
    ).body;
    const drafted = aPdf(4_000, `drafted-${randomUUID()}`);
    await upload(
      t,
      tf['kh.officer'],
      `/information-requests/${draft.id}/attachments`,
      drafted,
      'd.pdf',
    ).expect(201);
    const receipts = () =>
      t.dataSource.query(
        `SELECT via_type, via_id FROM file_provenance WHERE sha256 = $1 AND receiving_country = 'KR'`,
        [sha256(drafted)],
      );
    // Recorded when the request is sent, with what then stands on it (probe r45): nothing yet.
    expect(await receipts()).toEqual([]);
    expect(await krPassesToMy(drafted)).toBe(201);
    const other = aPdf(4_000, `sent-${randomUUID()}`);
    const draft2 = (
      await tf['kh.officer']
        .post(
          '/information-requests',
          aDraft(tf.cambodiaKoreaFramework, {
            targetCountry: 'KR',
            handlingCode: 'AMBER',
            subject: 'File check 2',
            questions: ['Is this yours?'],
          }),
        )
        .expect(201)
    ).body;
    await upload(
      t,
      tf['kh.officer'],
      `/information-requests/${draft2.id}/attachments`,
      other,
      's.pdf',
    ).expect(201);
    await send(tf['kh.officer'], tf['kh.liaison'], '/information-requests', draft2);
    expect(
      await t.dataSource.query(
        `SELECT via_type, via_id FROM file_provenance WHERE sha256 = $1 AND receiving_country = 'KR'`,
        [sha256(other)],
      ),
    ).toEqual([{ via_type: 'request', via_id: draft2.id }]);
    expect(await krPassesToMy(other)).toBe(409);
  });

  it('a file on a KH arrest shared with KR stays received when the Cambodia–Korea framework ends', async () => {
    const admin = await signIn(t.server, 'platform.admin');
    const arrest = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: 'A compound',
          grounds: 'Online fraud',
          arrestingAgency: 'Police',
          nationality: 'MY',
          person: { names: [{ full: 'ARREST Filed', script: 'latin', kind: 'primary' }] },
        })
        .expect(201)
    ).body;
    const extract = aPdf(4_000, `arrest-${randomUUID()}`);
    await upload(t, tf['kh.officer'], `/arrests/${arrest.id}/attachments`, extract, 'a.pdf').expect(201);
    await tf['kh.liaison']
      .post(`/arrests/${arrest.id}/shares`, { countryCode: 'KR', handlingCode: 'AMBER' })
      .expect(200);
    await tf['kr.officer'].get(`/arrests/${arrest.id}/attachments`).expect(200);
    await admin.patch(`/frameworks/${tf.cambodiaKoreaFramework}`, { active: false }).expect(200);
    try {
      await tf['kr.officer'].get(`/arrests/${arrest.id}/attachments`).expect(404);
      expect(await krPassesToMy(extract)).toBe(409);
    } finally {
      await admin.patch(`/frameworks/${tf.cambodiaKoreaFramework}`, { active: true }).expect(200);
    }
  });
});
