import { importCsv } from '../arrests/raid-fixtures';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { withLoopStall } from './loop-stall';

const HEADER = 'arrested_at,place,grounds,arresting_agency,nationality,full_name';
const letters = (n: number) => String(n).replace(/\d/g, (d) => 'abcdefghij'[Number(d)]);

/**
 * Probe (input round): `POST /arrests/import` (up to 50,000 rows, 64 MB) validates its rows on the
 * event loop without a pause long enough for anyone else (src/arrests/arrest-import.service.ts,
 * `batch.add` per row, and the per-cell checks of src/arrests/arrest-csv.ts). A name of 150 × `ﷺ` is
 * under the 200-character raw limit, so `@IsPreparableName` prepares its 2,700-letter NFKC form before
 * refusing it: 10,000 such rows held every other caller, /api/health included, for ~8 s (50,000: 57 s);
 * one row whose `full_name` is a 20 MB cell for ~6 s (60 MB: 22 s). Each answer is a correct 400 at
 * last, but no request may hold the server. The bound is on the event loop's longest stall meanwhile
 * (test/probe-input/loop-stall.ts).
 */
describe('Probe: a large CSV import does not hold the server', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const count = async (table: string) =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

  /** Imports `csv`; the answer and the event loop's longest stall meanwhile. */
  const importMeasured = (csv: string) => withLoopStall(() => importCsv(t.server, tf['kh.officer'], csv));

  it('10,000 rows of names NFKC expands past the cap: a 400 without stalling the event loop for a second', async () => {
    const rows = Array.from(
      { length: 10_000 },
      (_, i) => `2026-03-01T02:30:00Z,Block C,Fraud,Police,KR,${'ﷺ'.repeat(150)} ${letters(i)}`,
    );
    const arrests = await count('arrest');
    const { res, stallMs } = await importMeasured(`${HEADER}\r\n${rows.join('\r\n')}\r\n`);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors[0]).toMatchObject({ row: 2, field: 'full_name' });
    expect({ stallMs, under1s: stallMs < 1_000 }).toEqual({
      stallMs,
      under1s: true,
    });
    expect(await count('arrest')).toBe(arrests);
  });

  it('one row whose full_name is a 20 MB cell: a 400 without stalling the event loop for a second', async () => {
    const arrests = await count('arrest');
    const { res, stallMs } = await importMeasured(
      `${HEADER}\r\n2026-03-01T02:30:00Z,Block C,Fraud,Police,KR,${'A'.repeat(20_000_000)}\r\n`,
    );
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([expect.objectContaining({ row: 2, field: 'full_name' })]);
    expect({ stallMs, under1s: stallMs < 1_000 }).toEqual({
      stallMs,
      under1s: true,
    });
    expect(await count('arrest')).toBe(arrests);
  });
});
