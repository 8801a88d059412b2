import { getHeapStatistics } from 'node:v8';
import { importCsv } from '../arrests/raid-fixtures';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

const HEADER = 'arrested_at,place,grounds,arresting_agency,nationality,full_name';

/**
 * Probe (input round): `POST /arrests/import` parses with `relax_column_count: true` and no
 * `max_record_size` (src/arrests/arrest-import.service.ts), so one line of commas becomes one record of
 * that many cells, all in memory at once, within the 64 MB import limit: a 64 MB line is 64 million
 * cells, several GB of heap against `--max-old-space-size=1024` (the process dies). And `readHeader`
 * (src/arrests/arrest-csv.ts) reports every unknown header cell, with no cap: a header of a million
 * commas answers a million errors (tens of MB of JSON) where the input guard stops at 50.
 */
describe('Probe: a CSV import of one very wide line', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const count = async (table: string) =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

  // First: the header case below leaves the heap grown, which would hide this one's growth.
  it('a data row of 16 million cells is refused without the heap growing by hundreds of MB', async () => {
    // The app runs in this process: the V8 heap's size after the request is its high-water mark (V8
    // does not give back the pages a collection freed that soon). A 16 MB line should cost about the
    // 16 MB of its spooled bytes, not a record of 16 million strings.
    const arrests = await count('arrest');
    const body = Buffer.from(
      `${HEADER}\r\n2026-03-01T02:30:00Z,Block C,Fraud,Police,KH,SOK Dara${','.repeat(16_000_000)}\r\n`,
    );
    const before = getHeapStatistics().total_heap_size;
    const res = await importCsv(t.server, tf['kh.officer'], body);
    const grewMb = Math.round((getHeapStatistics().total_heap_size - before) / 1e6);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect({ grewMb, under128Mb: grewMb < 128 }).toEqual({ grewMb, under128Mb: true });
    expect(await count('arrest')).toBe(arrests);
  });

  it('a header of a million empty columns is a 400 naming a bounded number of problems', async () => {
    const arrests = await count('arrest');
    const res = await importCsv(t.server, tf['kh.officer'], `${HEADER}${','.repeat(1_000_000)}\r\n`);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toContain('validation-failed');
    expect({ errors: res.body.errors.length, atMost50: res.body.errors.length <= 50 }).toEqual({
      errors: res.body.errors.length,
      atMost50: true,
    });
    expect(await count('arrest')).toBe(arrests);
  });
});
