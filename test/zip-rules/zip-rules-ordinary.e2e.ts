import { download, unzip } from '../attachments/attachment-support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { zipOf } from '../support/zip-files';
import { answerTo } from './zip-rules-support';

/**
 * What the rule must let through: the ZIPs officers send — a phone extract of documents, pictures and
 * exports in folders, Korean and Khmer names, stored and deflated entries, entries written as a stream
 * (sizes after the data) — taken as before and downloaded unchanged, with a sandboxing CSP.
 */
describe('An ordinary ZIP of documents', () => {
  let t: TestApp;
  let tf: TaskForce;
  let caseId: string;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    caseId = (await tf['kr.officer'].post('/cases', { title: 'Extract' }).expect(201)).body.id;
    await tf['kr.liaison'].post(`/cases/${caseId}/shares`, { countryCode: 'KH' }).expect(201);
  });
  afterAll(() => t?.close());

  it('is taken (201), and KH downloads it byte for byte under CSP sandbox; so is the case bundle', async () => {
    const picture = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919 + (i >> 9)) % 251));
    const zip = await zipOf([
      ['extract/calls.csv', Buffer.from('when,who\n2026-03-01,SOK\n'.repeat(2000))],
      ['extract/photos/IMG_0001.jpg', picture, { compress: false }],
      ['extract/chat/export.txt', Buffer.from('hello\n'.repeat(5000)), { stream: true }],
      ['extract/보고서 (최종).pdf', Buffer.from('%PDF-1.7\n%%EOF\n')],
      ['extract/របាយការណ៍.txt', Buffer.from('Khmer report\n')],
      ['extract/calls.csv.bak', Buffer.from('old\n')],
      ['README.txt', Buffer.alloc(0)],
    ]);
    const uploaded = await tf['kr.officer'].get(`/cases/${caseId}/attachments`).expect(200);
    expect(uploaded.body.items).toEqual([]);
    expect(await answerTo(t, tf, 'kr.officer', caseId, zip, 'extract.zip')).toEqual({
      status: 201,
      type: undefined,
      zipProblem: undefined,
    });
    const [file] = (await tf['kh.officer'].get(`/cases/${caseId}/attachments`).expect(200)).body.items;
    const res = await download(t, tf['kh.officer'], file.id).expect(200);
    expect(res.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
    expect(res.headers['content-disposition']).toMatch(/^attachment;/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect((res.body as Buffer).equals(zip)).toBe(true);
    expect([...(await unzip(res.body as Buffer)).keys()]).toContain('extract/보고서 (최종).pdf');

    const partial = await download(t, tf['kh.officer'], file.id, { Range: 'bytes=0-9' }).expect(206);
    expect(partial.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
    const bundle = await tf['kh.officer'].get(`/cases/${caseId}/bundle`).expect(200);
    expect(bundle.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
  });
});
