import { deflateSync } from 'node:zlib';
import { OWN_NUMBERS_CATCH_UP_JOB } from '../../src/attachments/own-numbers-catch-up.service';
import { JobsService } from '../../src/jobs/jobs.service';
import { upload } from '../attachments/attachment-support';
import { receivedNumberAndCaseSharedWithMy } from '../probe-r16/r16-support';
import { r47Scenario } from '../probe-r47/r47-support';
import { khCaseSharedWithKr, RELEASE_REFUSED } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { aZip } from '../support/zip-files';

/** `text` in UTF-16BE with its mark, as a literal string (`(þÿ…)`, `(`, `)`, `\` escaped) or a hex one. */
const utf16Literal = (text: string) =>
  `(${Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])
    .toString('latin1')
    .replace(/[()\\]/g, '\\$&')})`;
const utf16Hex = (text: string) => `<FEFF${Buffer.from(text, 'utf16le').swap16().toString('hex')}>`;

/** A one-page PDF with `objects` before its (deflated) content stream, and `trailer`'s entries. */
function aPdf(objects: string, content = 'BT /F1 11 Tf (Call log) Tj ET', trailer = ''): Buffer {
  const stream = deflateSync(Buffer.from(content, 'latin1'));
  return Buffer.concat([
    Buffer.from(
      '%PDF-1.7\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n' +
        '2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n' +
        `3 0 obj <</Type /Page /Parent 2 0 R /Contents 4 0 R>> endobj\n${objects}` +
        `4 0 obj <</Length ${stream.length} /Filter /FlateDecode>> stream\n`,
      'latin1',
    ),
    stream,
    Buffer.from(`\nendstream endobj\ntrailer <</Root 1 0 R${trailer}>>\n%%EOF\n`, 'latin1'),
  ]);
}

/**
 * Files read (reading 5): a PDF's text strings in UTF-16BE with their mark (a title, a form field's value,
 * as generators write text in Hangul or Khmer), and encrypted PDFs. KH gave KR `+855 12 000 111` under
 * AMBER; KR attaches each file to a KR case shared with MY. Before, every one of them was 201 and MY read
 * it: the strings read as bytes show a NUL between digits, and an encrypted PDF's text is ciphertext.
 */
describe('PDF text strings in UTF-16BE, and encrypted PDFs, on their way from KR to MY', () => {
  let t: TestApp;
  let tf: TaskForce;
  let sharedCase: string;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    sharedCase = await receivedNumberAndCaseSharedWithMy(tf, 'SOK Sixteen', 'UTF-16 strings');
  });
  afterAll(() => t?.close());

  const attach = (body: Buffer, filename: string) =>
    upload(t, tf['kr.officer'], `/cases/${sharedCase}/attachments`, body, filename);
  const filesMyReads = async () =>
    (
      (await tf['my.officer'].get(`/cases/${sharedCase}/attachments`).expect(200)).body.items as Array<{
        filename: string;
      }>
    ).map((f) => f.filename);

  it('a title in a UTF-16BE literal, a form field’s value in UTF-16BE hex with Khmer digits (in a ZIP): 409, MY reads neither', async () => {
    const titled = aPdf(
      `5 0 obj <</Title ${utf16Literal('통화 기록: +855 12 000 111 (3월 3일)')}>> endobj\n`,
    );
    const field = aPdf(`5 0 obj <</FT /Tx /T (tel) /V ${utf16Hex('លេខទូរស័ព្ទ +៨៥៥ ១២ ០០០ ១១១')}>> endobj\n`);
    const answers = [];
    for (const [body, name] of [
      [titled, 'calls.pdf'],
      [await aZip([['form.pdf', field]]), 'form.zip'],
    ] as const) {
      const answer = await attach(body, name);
      answers.push({ name, status: answer.status, type: answer.body.type });
    }
    expect(answers).toEqual([
      { name: 'calls.pdf', status: 409, type: RELEASE_REFUSED },
      { name: 'form.zip', status: 409, type: RELEASE_REFUSED },
    ]);
    expect(await filesMyReads()).toEqual([]);
  });

  it('an encrypted PDF (its trailer names /Encrypt): 422, its text could not be weighed, MY reads nothing', async () => {
    const encrypted = aPdf(
      '9 0 obj <</Filter /Standard /V 4 /R 4 /Length 128 /CF <</StdCF <</CFM /AESV2>>>> /P -1028>> endobj\n',
      'BT (\x8f\x13\xa2\x07\x55\xe1) Tj ET',
      ' /Encrypt 9 0 R /ID [<0a0b><0a0b>]',
    );
    const answer = await attach(encrypted, 'statement.pdf');
    expect({ status: answer.status, type: answer.body.type }).toEqual({
      status: 422,
      type: 'urn:case-desk:problem:attachment-unreadable',
    });
    expect(answer.body.detail).toContain('it is an encrypted PDF');
    expect(await filesMyReads()).toEqual([]);
  });

  it('a UTF-16 PDF KH gave KR read by reading 4 is read again by the catch-up: KR holds its account as KH’s', async () => {
    const { caseId } = await khCaseSharedWithKr(
      tf,
      { names: [{ full: 'SOK Dara', script: 'latin', kind: 'primary' }], nationalities: ['KH'] },
      'Compound accounts',
    );
    const { khGivesKr, expectHeldAtKr } = r47Scenario(t, tf, caseId);
    const sha256 = await khGivesKr(
      aPdf(`5 0 obj <</Subject ${utf16Hex('입금 계좌 0071-2233-4431')}>> endobj\n`),
      'accounts.pdf',
    );
    // As reading 4 left the file: its UTF-16 strings read as bytes, none of their numbers kept.
    const kept: Array<{ identifier: string }> = await t.dataSource.query(
      `SELECT identifier FROM file_own_number WHERE sha256 = $1`,
      [sha256],
    );
    expect(kept.length).toBeGreaterThan(0);
    await t.dataSource.query(`DELETE FROM file_own_number WHERE sha256 = $1`, [sha256]);
    await t.dataSource.query(`UPDATE file_own_numbers_read SET reading = 4 WHERE sha256 = $1`, [sha256]);
    await t.dataSource.query(
      `DELETE FROM identifier_provenance WHERE receiving_country = 'KR' AND identifier = ANY($1::text[])`,
      [kept.map((k) => k.identifier)],
    );
    await t.app.get(JobsService).runNow(OWN_NUMBERS_CATCH_UP_JOB);
    await expectHeldAtKr({ account: '007122334431' });
  });
});
