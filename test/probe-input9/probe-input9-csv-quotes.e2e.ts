import { importCsv } from '../arrests/raid-fixtures';
import { refusalFault } from '../probe-input4/probe-input4-support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

const HEADER = 'arrested_at,place,grounds,arresting_agency,nationality,full_name';

/**
 * Probe (input round 9): a double quote inside an unquoted CSV cell. csv-parse refuses it with an error
 * whose code is `INVALID_OPENING_QUOTE`, the one code of csv-parse 7 without the `CSV_` prefix the import
 * recognised its refusals by, so the error reached the exception filter as an unknown one: a 500. A
 * place written `Block "C"`, a cell of ` "quoted"` after a comma and a space (as spreadsheets export
 * them), or a JSON body sent as CSV all did it, from any officer. Now a 400 naming the row, and nothing
 * of the rows before it is kept (the import is one transaction).
 */
describe('Probe: a quote inside an unquoted CSV cell', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const counts = async () =>
    (
      await t.dataSource.query(
        `SELECT (SELECT count(*) FROM arrest)::int AS arrests, (SELECT count(*) FROM person)::int AS persons,
                (SELECT count(*) FROM audit_event)::int AS events`,
      )
    )[0] as { arrests: number; persons: number; events: number };

  it.each([
    [
      'a quote in the middle of a cell of a data row',
      `${HEADER}\r\n2026-03-01T02:30:00Z,Block C,Fraud,Police,KH,SOK Dara\r\n2026-03-01T02:31:00Z,Block "C",Fraud,Police,KH,CHAN Vibol\r\n`,
      3,
    ],
    [
      'a quoted cell after a space',
      `${HEADER}\r\n2026-03-01T02:30:00Z, "Block C",Fraud,Police,KH,SOK Dara\r\n`,
      2,
    ],
    ['a JSON body sent as CSV', '{"arrests":[]}', 1],
  ])('%s: a 400 problem naming the row, nothing recorded', async (_what, csv, row) => {
    const before = await counts();
    const res = await importCsv(t.server, tf['kh.officer'], csv);
    expect({ status: res.status, faults: refusalFault(res) }).toEqual({ status: 400, faults: [] });
    expect(res.body.errors[0]).toEqual(expect.objectContaining({ row, field: 'csv' }));
    expect(await counts()).toEqual(before);
  });

  it('control: the same rows without the stray quote are recorded', async () => {
    const res = await importCsv(
      t.server,
      tf['kh.officer'],
      `${HEADER}\r\n2026-03-01T02:30:00Z,Block C,Fraud,Police,KH,SOK Dara\r\n2026-03-01T02:31:00Z,"Block ""C""",Fraud,Police,KH,CHAN Vibol\r\n`,
    );
    expect(res.status).toBe(201);
  });
});
