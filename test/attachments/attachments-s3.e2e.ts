import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalS3, startLocalS3 } from '../support/local-s3';
import { createTestApp, TestApp } from '../support/test-app';
import { taskForce, TaskForce } from '../support/scenario';
import { aPdf, download, sha256, upload } from './attachment-support';

const LIMIT = 12 * 1024 * 1024;
const BUCKET = 'case-desk-attachments';

/** The same API on the S3 driver (s3rver started here): what the filesystem spec checks on disk, in a bucket. */
describe('Attachments on S3-compatible storage (ATTACHMENT_STORAGE=s3)', () => {
  let s3: LocalS3;
  let raw: S3Client;
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    s3 = await startLocalS3();
    await s3.createBucket(BUCKET);
    raw = new S3Client(s3.clientConfig);
    t = await createTestApp(
      {},
      {
        ATTACHMENT_STORAGE: 's3',
        ATTACHMENT_MAX_BYTES: String(LIMIT),
        S3_ENDPOINT: s3.settings.endpoint,
        S3_BUCKET: BUCKET,
        S3_REGION: s3.settings.region,
        S3_ACCESS_KEY_ID: s3.settings.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.settings.secretAccessKey,
        S3_FORCE_PATH_STYLE: 'true',
      },
    );
    tf = await taskForce(t);
  });
  afterAll(async () => {
    await t?.close();
    raw?.destroy();
    await s3?.stop();
  });

  const keys = async () =>
    ((await raw.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key!).sort();
  const rows = async () => Number((await t.dataSource.query(`SELECT count(*) AS n FROM attachment`))[0].n);

  it('uploads a 10 MB PDF (a multipart upload), serves it whole and by range, and reports tampering in the bucket', async () => {
    const caseId = (await tf['kr.officer'].post('/cases', { title: 'S3 case' }).expect(201)).body.id;
    const pdf = aPdf(10 * 1024 * 1024, 's3');
    const hash = sha256(pdf);
    const up = await upload(
      t,
      tf['kr.officer'],
      `/cases/${caseId}/attachments`,
      pdf,
      'bank-statement.pdf',
    ).expect(201);
    expect(up.body).toMatchObject({ sha256: hash, sizeBytes: pdf.length, mediaType: 'application/pdf' });
    expect(await keys()).toEqual([`sha256/${hash.slice(0, 2)}/${hash}`]);

    const whole = await download(t, tf['kr.officer'], up.body.id).expect(200);
    expect(sha256(whole.body as Buffer)).toBe(hash);
    expect(whole.headers.etag).toBe(`"${hash}"`);
    const part = await download(t, tf['kr.officer'], up.body.id, { Range: 'bytes=9000000-9000099' }).expect(
      206,
    );
    expect((part.body as Buffer).equals(pdf.subarray(9_000_000, 9_000_100))).toBe(true);
    await tf['my.officer'].get(`/attachments/${up.body.id}`).expect(404);

    // The same bytes again: one object.
    await upload(t, tf['kr.officer2'], `/cases/${caseId}/attachments`, pdf, 'copy.pdf').expect(201);
    expect((await keys()).length).toBe(1);

    expect((await tf['kr.officer'].post(`/attachments/${up.body.id}/verify`).expect(200)).body.ok).toBe(true);
    const changed = Buffer.from(pdf);
    changed[5_000_000] ^= 0x20;
    await raw.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: `sha256/${hash.slice(0, 2)}/${hash}`, Body: changed }),
    );
    const verdict = await tf['kr.officer'].post(`/attachments/${up.body.id}/verify`).expect(200);
    expect(verdict.body).toMatchObject({ ok: false, sha256: hash, actualSha256: sha256(changed) });
  });

  it('leaves nothing in the bucket for a refused type, a declared or streamed over-size body, or an interrupted upload', async () => {
    const caseId = (await tf['kr.officer'].post('/cases', { title: 'S3 refusals' }).expect(201)).body.id;
    const before = await keys();
    const rowsBefore = await rows();
    const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(10_000)]);
    expect((await upload(t, tf['kr.officer'], `/cases/${caseId}/attachments`, gif, 'x.gif')).status).toBe(
      415,
    );
    expect(
      (await upload(t, tf['kr.officer'], `/cases/${caseId}/attachments`, aPdf(LIMIT + 10), 'x.pdf')).status,
    ).toBe(413);

    const { port } = t.server.address() as AddressInfo;
    const send = (chunks: number, cut: boolean) =>
      new Promise<number>((resolve) => {
        const req = httpRequest(
          {
            port,
            host: '127.0.0.1',
            method: 'POST',
            path: `/api/v1/cases/${caseId}/attachments`,
            headers: {
              Authorization: `Bearer ${tf['kr.officer'].tokens.accessToken}`,
              'Content-Type': 'application/octet-stream',
              'Transfer-Encoding': 'chunked',
              'X-Filename': 'streamed.pdf',
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode!));
          },
        );
        req.on('error', () => resolve(0));
        const mb = aPdf(1024 * 1024, 'chunk');
        let n = 0;
        const more = () => {
          while (n < chunks) {
            n++;
            if (!req.write(mb)) return void req.once('drain', more);
          }
          if (cut) setTimeout(() => (req.destroy(), resolve(0)), 500);
          else req.end();
        };
        more();
      });
    // 16 MB chunked: crosses the 12 MB limit after a first 8 MB part went up; the multipart upload is aborted.
    expect(await send(16, false)).toBe(413);
    // 10 MB then the connection drops.
    await send(10, true);
    for (let i = 0; i < 30 && (await keys()).length !== before.length; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await keys()).toEqual(before);
    expect(await rows()).toBe(rowsBefore);
  });
});
