import { OWN_NUMBERS_CATCH_UP_JOB } from '../../src/attachments/own-numbers-catch-up.service';
import { JobsService } from '../../src/jobs/jobs.service';
import { upload } from '../attachments/attachment-support';
import { r47Scenario } from '../probe-r47/r47-support';
import { khCaseSharedWithKr, send } from '../sharing/support';
import { aCidPdf, glyphHex, TO_UNICODE } from '../support/cid-pdf';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { aZip } from '../support/zip-files';

type Scenario = ReturnType<typeof r47Scenario>;

/**
 * Numbers KH's AMBER file shows only once decoded, left by probe r47: text a PDF draws in a CID font
 * (glyph numbers, read through the font's ToUnicode CMap), an e-mail's base64 and quoted-printable parts,
 * JSON's `\u` escapes. KH gives KR the file; KR types the number into a person of its own and shares it
 * with MY: refused, as probe r47's shapes are. Before, each share was 201 and MY's check found it at KR.
 */
describe('Numbers KH’s AMBER file shows once decoded (CID fonts, e-mails, JSON escapes) stay AMBER at KR', () => {
  let t: TestApp;
  let tf: TaskForce;
  let khGivesKr: Scenario['khGivesKr'];
  let expectHeldAtKr: Scenario['expectHeldAtKr'];

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const { caseId } = await khCaseSharedWithKr(
      tf,
      { names: [{ full: 'SOK Dara', script: 'latin', kind: 'primary' }], nationalities: ['KH'] },
      'Compound evidence',
    );
    ({ khGivesKr, expectHeldAtKr } = r47Scenario(t, tf, caseId));
  });
  afterAll(() => t?.close());

  it('a bank statement saved as PDF by Word (CID font), on KH’s AMBER request to KR: its account and phone stay KH’s', async () => {
    const content =
      `BT /F1 11 Tf 72 720 Td [${glyphHex('Beneficiary account: ')}-15${glyphHex('0071-2233-')}8${glyphHex('4420')}] TJ ET\n` +
      `BT /F1 11 Tf 72 700 Td ${glyphHex('Contact +855 77 500 420')} Tj ET`;
    const draft = await givenIn(tf)
      .anInformationRequest()
      .from('KH')
      .sentTo('KR')
      .handledAs('AMBER')
      .with({ subject: 'Accounts of the compound', questions: ['Who holds these in Korea?'] })
      .drafted();
    const filed = await upload(
      t,
      tf['kh.officer'],
      `/information-requests/${draft.id}/attachments`,
      aCidPdf(content, { objectStream: true }),
      'statement.pdf',
    );
    expect(filed.status).toBe(201);
    const current = (await tf['kh.officer'].get(`/information-requests/${draft.id}`).expect(200)).body;
    await send(tf['kh.officer'], tf['kh.liaison'], '/information-requests', current);
    expect((await tf['kr.officer'].get(`/attachments/${filed.body.id}/content`)).status).toBe(200);
    await expectHeldAtKr({ account: '007122334420' });
    await expectHeldAtKr({ phone: '+85577500420' });
  });

  it('an e-mail KH saved (.eml): a base64 body, and quoted-printable breaking an account across lines', async () => {
    const base64 = Buffer.from('The mule uses 0071-2233-4421 at ACLEDA.\r\n').toString('base64');
    const eml = [
      'Received: from mx.police.gov.kh',
      'From: desk@police.gov.kh',
      'Subject: =?utf-8?Q?Transfers?=',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="=_b"',
      '',
      '--=_b',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      base64,
      '--=_b',
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '<p>Second account: <b>0071-2233-=',
      '4422</b> =E2=80=94 phone 077 500 4=',
      '23</p>',
      '--=_b--',
      '',
    ].join('\r\n');
    await khGivesKr(Buffer.from(eml), 'transfers.eml');
    await expectHeldAtKr({ account: '007122334421' });
    await expectHeldAtKr({ account: '007122334422' });
    await expectHeldAtKr({ phone: '+85577500423' });
  });

  it('a JSON export inside KH’s ZIP, the account’s digits written as \\u escapes', async () => {
    const json = Buffer.from(
      '{"transfers":[{"to":"\\u0030\\u0030\\u0037\\u0031\\u002d2233\\u002d4424","amount":"3500.00"}]}',
    );
    await khGivesKr(await aZip([['export.json', json]]), 'export.zip');
    await expectHeldAtKr({ account: '007122334424' });
  });

  it('a CID PDF read by an older reading is read again by the catch-up, and KR holds its account as KH’s', async () => {
    const sha256 = await khGivesKr(
      aCidPdf(`BT /F1 11 Tf ${glyphHex('Account 0071 2233 4425')} Tj ET`),
      'old-statement.pdf',
    );
    // As the file stood when reading 3 read it: none of its glyph numbers read, none received by KR.
    const kept: Array<{ identifier: string }> = await t.dataSource.query(
      `SELECT identifier FROM file_own_number WHERE sha256 = $1`,
      [sha256],
    );
    expect(kept.length).toBeGreaterThan(0);
    await t.dataSource.query(`DELETE FROM file_own_number WHERE sha256 = $1`, [sha256]);
    await t.dataSource.query(`UPDATE file_own_numbers_read SET reading = 3 WHERE sha256 = $1`, [sha256]);
    await t.dataSource.query(
      `DELETE FROM identifier_provenance WHERE receiving_country = 'KR' AND identifier = ANY($1::text[])`,
      [kept.map((k) => k.identifier)],
    );
    await t.app.get(JobsService).runNow(OWN_NUMBERS_CATCH_UP_JOB);
    await expectHeldAtKr({ account: '007122334425' });
  });

  it('hostile: a CMap of 300,000 ranges and e-mails inside e-mails four deep are refused (422); deeply nested JSON is read', async () => {
    const cases = tf['kh.officer'];
    const caseId = (await cases.post('/cases', { title: 'Hostile files' }).expect(201)).body.id as string;
    const attach = (bytes: Buffer, name: string) =>
      upload(t, tf['kh.officer'], `/cases/${caseId}/attachments`, bytes, name);
    const cmap = TO_UNICODE.replace(
      '3 beginbfrange',
      `300000 beginbfrange ${'<0000> <FFFF> <0030>\n'.repeat(300_000)} endbfrange 3 beginbfrange`,
    );
    let mail = 'Account 0071-2233-4426';
    for (let i = 0; i < 4; i++)
      mail = `From: a@b\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(mail).toString('base64')}\r\n`;
    const deepJson = Buffer.from(`${'['.repeat(500_000)}"\\u0030"${']'.repeat(500_000)}`);
    const answers = [];
    for (const [bytes, name] of [
      [aCidPdf(`BT /F1 11 Tf ${glyphHex('0071')} Tj ET`, { cmap }), 'fonts.pdf'],
      [Buffer.from(mail), 'nested.eml'],
      [deepJson, 'deep.json'],
    ] as const) {
      const answer = await attach(bytes, name);
      answers.push({ name, status: answer.status, type: answer.body.type });
    }
    expect(answers).toEqual([
      { name: 'fonts.pdf', status: 422, type: 'urn:case-desk:problem:attachment-unreadable' },
      { name: 'nested.eml', status: 422, type: 'urn:case-desk:problem:attachment-unreadable' },
      { name: 'deep.json', status: 201, type: undefined },
    ]);
  });
});
