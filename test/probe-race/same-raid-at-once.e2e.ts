import { createTestApp, TestApp } from '../support/test-app';
import { taskForce, TaskForce } from '../support/scenario';
import { importCsv, raidRow, RAID_HEADER, toCsv } from '../arrests/raid-fixtures';

/**
 * Probe race: the same raid sent twice at once (two officers, or a retry without an Idempotency-Key).
 * One at a time, the second answers 409 `duplicate-arrests` and records nothing. At once, every copy
 * passes the duplicate check (`recordedDuplicates` in src/arrests/duplicate-arrests.ts reads the
 * arrests committed so far; nothing locks the country's day or the documents, and no constraint backs
 * it) and every copy is recorded: the raid's persons and arrests are doubled, each with its audit events.
 */
describe('The same raid recorded twice at once', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const arrestsWithDocument = async (document: string) =>
    (
      await t.dataSource.query(
        `SELECT count(*)::int AS n FROM arrest a JOIN person p ON p.id = a.person_id
          WHERE a.arresting_country = 'KH' AND $1 = ANY (p.document_numbers)`,
        [document],
      )
    )[0].n as number;

  const arrest = (document: string) => ({
    arrestedAt: '2026-03-01T02:30:00Z',
    place: 'Golden Fortune compound',
    grounds: 'Online fraud',
    arrestingAgency: 'Cambodian National Police',
    nationality: 'KR',
    person: {
      names: [{ full: `Holder of ${document}`, script: 'latin', kind: 'primary' }],
      documents: [{ type: 'passport', number: document, issuingCountry: 'KR' }],
    },
  });

  it('a JSON batch sent by two officers at once: one is recorded, the other gets 409 duplicate-arrests', async () => {
    for (let round = 0; round < 3; round++) {
      const documents = [`M7${round}00001`, `M7${round}00002`];
      const body = { arrests: documents.map(arrest) };
      const responses = await Promise.all([
        tf['kh.officer'].post('/arrests/batch', body),
        tf['kh.officer2'].post('/arrests/batch', body),
        tf['kh.officer'].post('/arrests/batch', body),
      ]);
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409]);
      for (const refused of responses.filter((r) => r.status === 409))
        expect(refused.body.type).toBe('urn:case-desk:problem:duplicate-arrests');
      for (const document of documents) expect(await arrestsWithDocument(document)).toBe(1);
      // One at a time the rule holds: the same raid again is refused.
      await tf['kh.officer'].post('/arrests/batch', body).expect(409);
    }
  });

  it('a CSV raid imported twice at once: one import is recorded, the other gets 409', async () => {
    for (let round = 0; round < 3; round++) {
      const rows = [raidRow('KR', 300 + round), raidRow('VN', 300 + round)];
      const csv = toCsv(RAID_HEADER, rows);
      const [before] = await t.dataSource.query(`SELECT count(*)::int AS n FROM arrest`);
      const responses = await Promise.all([
        importCsv(t.server, tf['kh.officer'], csv),
        importCsv(t.server, tf['kh.officer2'], csv),
      ]);
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
      const [after] = await t.dataSource.query(`SELECT count(*)::int AS n FROM arrest`);
      expect(after.n - before.n).toBe(rows.length);
    }
  });
});
