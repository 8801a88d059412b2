import { upload } from '../attachments/attachment-support';
import { personKhGaveKr, RELEASE_REFUSED } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { aZip } from '../support/zip-files';
import { answerTo, HOSTILE } from './zip-rules-support';

/**
 * Probe r24 left: an uploaded ZIP was only read through (inner paths, sizes, data) when the uploader's
 * country had received numbers from another, as part of weighing them; otherwise a ZIP with `../` or
 * absolute entry names, lying sizes, damaged data or two entries of one name was 201, and the same bytes
 * 422 once the country had received a request. Now every ZIP meets one structure rule where uploads
 * pass (`checkZipStructure`): the answer no longer depends on what the country received.
 */
describe('One structure rule for every uploaded ZIP, whatever the country received', () => {
  let t: TestApp;
  let tf: TaskForce;
  let krCase: string;
  let khCase: string;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    krCase = (await tf['kr.officer'].post('/cases', { title: 'Phone extracts' }).expect(201)).body.id;
    await tf['kr.liaison'].post(`/cases/${krCase}/shares`, { countryCode: 'MY' }).expect(201);
    khCase = (await tf['kh.officer'].post('/cases', { title: 'Compound raid' }).expect(201)).body.id;
  });
  afterAll(() => t?.close());

  /** Numbers `country` received from another (what decides whether its files are weighed). */
  const received = async (country: string) =>
    Number(
      (
        await t.dataSource.query(
          `SELECT count(*) AS n FROM identifier_provenance WHERE receiving_country = $1 AND originator_country <> $1`,
          [country],
        )
      )[0].n,
    );
  const hostileAnswers = (who: 'kr.officer' | 'kh.officer', caseId: string) =>
    Promise.all(HOSTILE.map(([, zip], i) => answerTo(t, tf, who, caseId, zip, `hostile-${i}.zip`)));
  const expected = HOSTILE.map(([, , type, zipProblem]) => ({ status: 422, type, zipProblem }));
  const listed = async (who: 'kr.officer' | 'kh.officer', caseId: string) =>
    ((await tf[who].get(`/cases/${caseId}/attachments`).expect(200)).body.items as unknown[]).length;

  it('KR before and after it receives a number, and KH: the same hostile ZIP, the same 422; nothing attached', async () => {
    const naming = await aZip([['calls.txt', Buffer.from('Call log\n+855 12 000 111 called twice\n')]]);
    expect(await received('KR')).toBe(0);
    expect(await hostileAnswers('kr.officer', krCase)).toEqual(expected);
    // Nothing received: the ZIP naming the number is not weighed, and goes to MY.
    expect((await answerTo(t, tf, 'kr.officer', krCase, naming, 'calls-before.zip')).status).toBe(201);

    await personKhGaveKr(tf, 'AMBER', 'SOK Zip', {
      documents: [{ type: 'passport', number: 'N77700999', issuingCountry: 'KH' }],
    });
    expect(await received('KR')).toBeGreaterThan(0);
    expect(await hostileAnswers('kr.officer', krCase)).toEqual(expected);
    // Received: the weighing reads ZIPs as before (the number stays out of MY's reach), after the rule.
    // (Not the phone of the first ZIP: that reached MY from KR's own file before KH gave it, so MY holds
    // it from KR already.)
    const namingReceived = await aZip([
      ['passports.txt', Buffer.from('Passport N77700999 seen at the border\n')],
    ]);
    expect(await answerTo(t, tf, 'kr.officer', krCase, namingReceived, 'passports.zip')).toMatchObject({
      status: 409,
      type: RELEASE_REFUSED,
    });

    expect(await hostileAnswers('kh.officer', khCase)).toEqual(expected);
    expect(await listed('kr.officer', krCase)).toBe(1);
    expect(await listed('kh.officer', khCase)).toBe(0);
  });

  it('names the entry at fault in the problem, for the uploader to mend', async () => {
    const [, zip] = HOSTILE.find(([what]) => what.includes('../../etc/evil.txt'))!;
    const res = await upload(t, tf['kh.officer'], `/cases/${khCase}/attachments`, zip, 'evidence.zip');
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'urn:case-desk:problem:attachment-archive-refused',
      status: 422,
      zipProblem: 'unsafe-path',
      entry: '../../etc/evil.txt',
    });
  });
});
