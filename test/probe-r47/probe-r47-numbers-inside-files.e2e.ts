import { deflateSync } from 'node:zlib';
import { OWN_NUMBERS_CATCH_UP_JOB } from '../../src/attachments/own-numbers-catch-up.service';
import { JobsService } from '../../src/jobs/jobs.service';
import { khCaseSharedWithKr } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { aZip } from '../support/zip-files';
import { r47Scenario } from './r47-support';

type Scenario = ReturnType<typeof r47Scenario>;

/**
 * Probe r47: numbers KH's file shows as a reader sees them, but that its bytes do not hold as one run
 * (a Word or spreadsheet file's XML runs, an .odt's space elements, a page's `&nbsp;`, UTF-16 text, a
 * passport's MRZ, a number wrapped onto the next line or drawn a group at a time in a PDF). Each file is
 * KH's, on KH's case shared with KR under AMBER; KR then types the number into a person of its own, in
 * a case of its own, and shares it with MY. Before the fix each share was 201 (MY read the number) and
 * MY's hit/no-hit check found it at KR.
 */
describe('Probe r47: numbers KH’s AMBER file shows stay AMBER at KR, however the file writes them', () => {
  let t: TestApp;
  let tf: TaskForce;
  let khCaseId: string;
  let khGivesKr: Scenario['khGivesKr'];
  let krPassesOn: Scenario['krPassesOn'];
  let expectHeldAtKr: Scenario['expectHeldAtKr'];

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    ({ caseId: khCaseId } = await khCaseSharedWithKr(
      tf,
      { names: [{ full: 'SOK Dara', script: 'latin', kind: 'primary' }], nationalities: ['KH'] },
      'Compound evidence',
    ));
    ({ khGivesKr, krPassesOn, expectHeldAtKr } = r47Scenario(t, tf, khCaseId));
  });
  afterAll(() => t?.close());

  it('numbers KR wrote itself, in no file of KH’s, go to MY and are found at KR', async () => {
    for (const typed of [{ account: '5566-7788-9900' }, { phone: '+85512999888' }, { passport: 'N99988877' }])
      expect(await krPassesOn(typed)).toEqual({
        share: 201,
        myReads: 200,
        answer: [{ country: 'KR', answer: 'hit' }],
      });
  });

  const xml = (body: string) =>
    Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${body}`);
  const pdfOf = (content: string) => {
    const stream = deflateSync(content);
    return Buffer.concat([
      Buffer.from(`%PDF-1.7\n4 0 obj <</Length ${stream.length} /Filter /FlateDecode>> stream\n`, 'latin1'),
      stream,
      Buffer.from('\nendstream endobj\n%%EOF\n', 'latin1'),
    ]);
  };

  it('FINDING 1: a Word report inside KH’s evidence ZIP, its account and phone split into runs', async () => {
    // Word starts a run where the formatting or the editing session changes: a number typed in two goes.
    const document = xml(
      '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' +
        '<w:p><w:r><w:t xml:space="preserve">Account of the boss: </w:t></w:r><w:r><w:rPr><w:b/></w:rPr>' +
        '<w:t>0071</w:t></w:r><w:proofErr w:type="gramStart"/><w:r><w:t>-2233-4401</w:t></w:r></w:p>' +
        '<w:p><w:r><w:t xml:space="preserve">Phone: 077</w:t></w:r><w:r w:rsidR="00A1"><w:t xml:space="preserve"> 500 101</w:t></w:r></w:p>' +
        '</w:body></w:document>',
    );
    const docx = await aZip([
      [
        '[Content_Types].xml',
        xml('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
      ],
      ['word/document.xml', document],
    ]);
    await khGivesKr(await aZip([['report.docx', docx]]), 'evidence.zip');
    await expectHeldAtKr({ account: '007122334401' });
    await expectHeldAtKr({ phone: '+85577500101' });
  });

  it('FINDING 2: an .odt inside KH’s ZIP, its account’s spaces written as <text:s/>', async () => {
    const content = xml(
      '<office:document-content><office:body><office:text><text:p text:style-name="P1">Account 0071<text:s/>2233<text:s/>4402</text:p>' +
        '</office:text></office:body></office:document-content>',
    );
    const odt = await aZip([
      ['mimetype', Buffer.from('application/vnd.oasis.opendocument.text')],
      ['content.xml', content],
    ]);
    await khGivesKr(await aZip([['interview.odt', odt]]), 'interview.zip');
    await expectHeldAtKr({ account: '007122334402' });
  });

  it('FINDING 3: an .xlsx inside KH’s ZIP, an account a shared string of two formatted runs', async () => {
    const strings = xml(
      '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">' +
        '<si><t>Account</t></si><si><r><t>0071-2233-</t></r><r><rPr><b/></rPr><t>4403</t></r></si></sst>',
    );
    const xlsx = await aZip([
      ['[Content_Types].xml', xml('<Types/>')],
      ['xl/sharedStrings.xml', strings],
    ]);
    await khGivesKr(await aZip([['transfers.xlsx', xlsx]]), 'transfers.zip');
    await expectHeldAtKr({ account: '007122334403' });
  });

  it('FINDING 4: a bank portal page saved into KH’s ZIP, the account’s groups apart by &nbsp;', async () => {
    const page = Buffer.from(
      '<!DOCTYPE html><html><body><table><tr><td>Account</td><td>0071&nbsp;2233&#160;4404</td></tr></table></body></html>',
    );
    await khGivesKr(await aZip([['statement.html', page]]), 'portal.zip');
    await expectHeldAtKr({ account: '007122334404' });
  });

  it('FINDING 5: UTF-16 text in KH’s ZIP: big-endian with its mark, little-endian without one', async () => {
    const be = Buffer.concat([
      Buffer.from([0xfe, 0xff]),
      Buffer.from('Account 0071-2233-4405\r\n', 'utf16le').swap16(),
    ]);
    const le = Buffer.from('Account\t0071-2233-4406\r\n', 'utf16le');
    await khGivesKr(
      await aZip([
        ['export-be.txt', be],
        ['export-le.txt', le],
      ]),
      'exports.zip',
    );
    await expectHeldAtKr({ account: '007122334405' });
    await expectHeldAtKr({ account: '007122334406' });
  });

  it('FINDING 6: a passport’s MRZ read off a scan, its number glued to its check digit', async () => {
    // N12345678's check digit is 5 (ICAO 9303: weights 7, 3, 1; N is 23).
    const ocr = Buffer.from(
      'Passport scan (OCR)\nP<KHMSOK<<DARA<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<\nN123456785KHM8001014M3001019<<<<<<<<<<<<<<02\n',
    );
    await khGivesKr(ocr, 'passport-ocr.txt');
    await expectHeldAtKr({ passport: 'N12345678' });
  });

  it('FINDING 7: an account wrapped onto the next line; a PDF drawing each group in a text object of its own', async () => {
    await khGivesKr(Buffer.from('Beneficiary account: 0071-2233-\n4407 (ACLEDA)\n'), 'notes.txt');
    await expectHeldAtKr({ account: '007122334407' });
    const pdf = pdfOf(
      'BT /F1 10 Tf 40 700 Td (Account) Tj ET BT /F1 10 Tf 90 700 Td (0071) Tj ET BT /F1 10 Tf 120 700 Td (2233) Tj ET ' +
        'BT /F1 10 Tf 150 700 Td (4408) Tj ET BT /F1 10 Tf 40 680 Td (Phone) Tj ET BT /F1 10 Tf 90 680 Td (077) Tj ET ' +
        'BT /F1 10 Tf 110 680 Td (500) Tj ET BT /F1 10 Tf 130 680 Td (202) Tj ET',
    );
    await khGivesKr(pdf, 'statement.pdf');
    await expectHeldAtKr({ account: '007122334408' });
    await expectHeldAtKr({ phone: '+85577500202' });
  });

  it('a Word report read by an older reading is read again by the catch-up, and KR holds its account as KH’s', async () => {
    const document = xml(
      '<w:document><w:body><w:p><w:r><w:t>0071</w:t></w:r><w:r><w:t>2233 4409</w:t></w:r></w:p></w:body></w:document>',
    );
    const sha256 = await khGivesKr(await aZip([['word/document.xml', document]]), 'old-report.zip');
    // As the file stood when a reading of 2 read it: no account kept, none received by KR.
    const kept: Array<{ identifier: string }> = await t.dataSource.query(
      `SELECT identifier FROM file_own_number WHERE sha256 = $1`,
      [sha256],
    );
    await t.dataSource.query(`DELETE FROM file_own_number WHERE sha256 = $1`, [sha256]);
    await t.dataSource.query(`UPDATE file_own_numbers_read SET reading = 2 WHERE sha256 = $1`, [sha256]);
    await t.dataSource.query(
      `DELETE FROM identifier_provenance WHERE receiving_country = 'KR' AND identifier = ANY($1::text[])`,
      [kept.map((k) => k.identifier)],
    );
    await t.app.get(JobsService).runNow(OWN_NUMBERS_CATCH_UP_JOB);
    await expectHeldAtKr({ account: '007122334409' });
  });
});
