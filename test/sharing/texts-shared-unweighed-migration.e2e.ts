import { RecordReceiptsOfTextsSharedUnweighed1763801140000 } from '../../migrations/1763801140000-RecordReceiptsOfTextsSharedUnweighed';
import { numbersIn } from '../../src/sharing/identifier-keys';
import { upload } from '../attachments/attachment-support';
import { frameworkId, personKhGaveKr, RELEASE_REFUSED } from './support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Migration 1763801140000: before sessions 21–22, a case shared with MY took along, unweighed and with no
 * receipt, a file name holding a number KH gave KR under AMBER (a file of the case, or of a person in it),
 * and an arrest a custody reason holding it; MY could then name that number to KR as its own. Current code refuses such a share (409), so the old
 * state is made by rewriting the texts after allowed shares, as if named so before it. The migration
 * records MY's receipt of the number from KH: MY's request naming it is refused from then on.
 */
describe('Migration: numbers in texts a share carried unweighed are recorded as received', () => {
  let t: TestApp;
  let tf: TaskForce;
  const myAsks = async (subject: string) => {
    const res = await tf['my.officer'].post('/information-requests', {
      frameworkId: await frameworkId(t, 'Korea–Malaysia'),
      targetCountry: 'KR',
      priority: 'urgent',
      handlingCode: 'CLEAR',
      subject,
      questions: ['Whose is it?'],
    });
    return { status: res.status, type: res.body.type };
  };
  const myReceipts = () =>
    t.dataSource.query(
      `SELECT originator_country AS originator, handling_code AS code, via_type AS via FROM identifier_provenance
        WHERE receiving_country = 'MY' AND identifier = ANY($1) ORDER BY via_type`,
      [numbersIn('+85512000111', 'phone').map((n) => n.key)],
    );
  let before: { asks: Array<{ status: number; type?: string }>; receipts: unknown[] };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await personKhGaveKr(tf, 'AMBER');
    const kr = tf['kr.officer'];
    const person = (
      await kr
        .post('/persons', { names: [{ full: 'HAN Renamed', script: 'latin', kind: 'primary' }] })
        .expect(201)
    ).body.id as string;
    const personFile = (
      await upload(t, kr, `/persons/${person}/attachments`, Buffer.from('a'), 'notes.txt').expect(201)
    ).body.id as string;
    const kase = (
      await kr.post('/cases', { title: 'Case', persons: [{ personId: person, role: 'suspect' }] }).expect(201)
    ).body.id as string;
    const caseFile = (
      await upload(t, kr, `/cases/${kase}/attachments`, Buffer.from('b'), 'notes.txt').expect(201)
    ).body.id as string;
    await tf['kr.liaison'].post(`/cases/${kase}/shares`, { countryCode: 'MY' }).expect(201);
    const arrest = (
      await kr
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: 'Busan',
          grounds: 'Online fraud',
          arrestingAgency: 'KNP',
          nationality: 'KR',
          person: { names: [{ full: 'LEE Renamed', script: 'latin', kind: 'primary' }] },
        })
        .expect(201)
    ).body;
    await kr
      .post(`/arrests/${arrest.id}/custody`, {
        status: 'charged',
        reason: 'Charged',
        version: arrest.version,
      })
      .expect(200);
    await tf['kr.liaison'].post(`/arrests/${arrest.id}/shares`, { countryCode: 'MY' }).expect(200);
    // Files and custody steps are immutable (triggers): the old state is written past them, as a restore
    // would be.
    await t.dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL session_replication_role = replica`);
      await m.query(`UPDATE arrest_custody_history SET reason = 'Called +85512000111' WHERE arrest_id = $1`, [
        arrest.id,
      ]);
      await m.query(`UPDATE attachment SET filename = 'handler +85512000111.txt' WHERE id = ANY($1)`, [
        [personFile, caseFile],
      ]);
    });
    before = { asks: [await myAsks('Who uses +85512000111?')], receipts: await myReceipts() };
    const runner = t.dataSource.createQueryRunner();
    try {
      await new RecordReceiptsOfTextsSharedUnweighed1763801140000().up(runner);
    } finally {
      await runner.release();
    }
  }, 120_000);
  afterAll(() => t?.close());

  it('before it, MY held no receipt and named the number to KR as its own', () => {
    expect(before).toEqual({ asks: [{ status: 201 }], receipts: [] });
  });

  it('records MY’s receipt from KH under AMBER, once by each share; MY’s next request naming it is refused (409)', async () => {
    expect(await myReceipts()).toEqual([
      { originator: 'KH', code: 'AMBER', via: 'arrest' },
      { originator: 'KH', code: 'AMBER', via: 'case' },
    ]);
    expect(await myAsks('Who uses +85512000111 now?')).toEqual({ status: 409, type: RELEASE_REFUSED });
  });
});
