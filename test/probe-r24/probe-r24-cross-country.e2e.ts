import { aPdf, download, sha256, upload } from '../attachments/attachment-support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { bundleOf, krAttaches, krCaseSharedWithKh } from './r24-support';

/**
 * Probe r24: what a third country can learn of another's files from its own uploads, conditional
 * requests, ranges and bundles. Held: bytes equal to KR's unshared file are, for MY, a file like any
 * other (same answer; MY's share of them with KH is not refused as received); a hash in `If-None-Match`
 * never answers 304, and KR's file is 404 to MY however asked; KH's bundle of a case KR shares with KH
 * and MY tells KH nothing of MY (no event of MY's download, export or share).
 */
describe('Probe r24: what a third country infers from bytes, hashes and bundles', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  it("MY uploading the bytes of KR's unshared file learns nothing of it, and KR's file is 404 however MY asks", async () => {
    const krCase = (await tf['kr.officer'].post('/cases', { title: 'KR only' }).expect(201)).body.id;
    const secret = aPdf(20_000, 'kr-only');
    const kr = await krAttaches(t, tf, krCase, secret, 'ledger.pdf');
    const myCase = (await tf['my.officer'].post('/cases', { title: 'MY guesses' }).expect(201)).body.id;
    const shape = (body: Record<string, unknown>) => ({
      ...body,
      id: 'id',
      sha256: 'hash',
      filename: 'name',
      uploadedAt: 'time',
    });
    const same = await upload(
      t,
      tf['my.officer'],
      `/cases/${myCase}/attachments`,
      secret,
      'guess.pdf',
    ).expect(201);
    const other = await upload(
      t,
      tf['my.officer'],
      `/cases/${myCase}/attachments`,
      aPdf(20_000, 'my-own'),
      'own.pdf',
    ).expect(201);
    expect(same.body.sha256).toBe(sha256(secret));
    expect(shape(same.body)).toEqual(shape(other.body));
    // MY never received KR's file: its own copy goes where MY sends it.
    await tf['my.liaison'].post(`/cases/${myCase}/shares`, { countryCode: 'KH' }).expect(201);
    // A conditional or partial read of KR's file is the 404 of an id that does not exist.
    const unknown = '00000000-0000-4000-8000-000000000000';
    const asked: Array<Record<string, string>> = [
      {},
      { 'If-None-Match': `"${kr.sha256}"` },
      { Range: 'bytes=0-0' },
      { 'If-Range': `"${kr.sha256}"`, Range: 'bytes=0-9' },
    ];
    for (const headers of asked) {
      const mine = await download(t, tf['my.officer'], kr.id, headers);
      const none = await download(t, tf['my.officer'], unknown, headers);
      expect([mine.status, mine.body.type]).toEqual([none.status, none.body.type]);
      expect(mine.status).toBe(404);
    }
    // MY's own copy: If-None-Match with its hash still gets the bytes (no 304 to test hashes with).
    const again = await download(t, tf['my.officer'], same.body.id, {
      'If-None-Match': `"${sha256(secret)}"`,
    }).expect(200);
    expect(sha256(again.body as Buffer)).toBe(sha256(secret));
  });

  it("KH's bundle of a case shared with KH and MY holds nothing of MY's reading or of its share", async () => {
    const caseId = await krCaseSharedWithKh(tf, 'Two partners');
    const file = await krAttaches(t, tf, caseId, aPdf(5000, 'both'), 'both.pdf');
    await tf['kr.liaison'].post(`/cases/${caseId}/shares`, { countryCode: 'MY' }).expect(201);
    await download(t, tf['my.officer'], file.id).expect(200);
    await bundleOf(tf, 'kh.officer', caseId);
    await tf['my.officer'].get(`/cases/${caseId}/bundle`).expect(200);
    const entries = await bundleOf(tf, 'kh.officer', caseId);
    const custody = JSON.parse(entries.get('custody-timeline.json')!.toString()) as Array<{
      country: string;
      action: string;
    }>;
    expect(
      custody.filter(
        (e) => e.country !== 'KH' && e.action !== 'case.share' && e.action !== 'attachment.upload',
      ),
    ).toEqual([]);
    expect(custody.filter((e) => e.action === 'case.share')).toHaveLength(1);
    // Quoted: an event's random id may hold the letters (`evt_…NcMYg`), and once did.
    expect(JSON.stringify(custody)).not.toContain('"MY"');
    expect(JSON.stringify(custody)).not.toContain('"my.');
    expect(entries.get('manifest.json')!.toString()).not.toContain('"MY"');
  });
});
