import { randomUUID } from 'node:crypto';
import { createTestApp, TestApp } from '../support/test-app';
import { signIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { entryMalaysiaAskedKoreaToBan } from '../support/blacklist-scenario';

/**
 * A screening's candidates name blacklist entries without a foreign key (whose check locked each entry's
 * row on the checkpoint's request path): what the key guarded still holds, for every writer.
 */
describe('Screening candidates always name an entry that exists', () => {
  let t: TestApp;
  let tf: TaskForce;
  let entryId: string;
  let screeningId: string;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    ({ entryId } = await entryMalaysiaAskedKoreaToBan(t, tf, {
      person: {
        names: [{ full: 'TAN Wei Ming', family: 'TAN', given: 'Wei Ming', script: 'latin', kind: 'primary' }],
        birthDate: '1984-06-02',
        nationalities: ['MY'],
      },
      grounds: 'Runs the money mule accounts of a Sihanoukville compound',
      groundsSummary: 'Money mule organiser',
    }));
    const screener = await signIn(t.server, 'kr.screener');
    const res = await screener
      .post('/screenings', {
        checkpoint: 'ICN-T1-ARR-07',
        names: [{ full: 'TAN Wei Ming', family: 'TAN', given: 'Wei Ming' }],
        birthDate: '1984-06-02',
      })
      .expect(201);
    expect(res.body.candidates.map((c: { entry: { entryId: string } }) => c.entry.entryId)).toEqual([
      entryId,
    ]);
    screeningId = res.body.id;
  });
  afterAll(() => t?.close());

  it('refuses to delete an entry a screening named, or to empty the table', async () => {
    await expect(t.dataSource.query(`DELETE FROM blacklist_entry WHERE id = $1`, [entryId])).rejects.toThrow(
      /blacklist entries are kept/,
    );
    await expect(t.dataSource.query(`TRUNCATE blacklist_entry CASCADE`)).rejects.toThrow(
      /blacklist entries are kept/,
    );
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM screening_candidate c JOIN blacklist_entry e ON e.id = c.entry_id
        WHERE c.screening_id = $1`,
      [screeningId],
    );
    expect(count).toBe(1);
  });

  it('refuses a candidate, written or changed, that names no entry, and keeps the statement whole', async () => {
    const stranger = randomUUID();
    await expect(
      t.dataSource.query(
        `INSERT INTO screening_candidate (screening_id, entry_id, score, matched_query_name, matched_entry_name, reasons)
         VALUES ($1, $2, 0.9, 'TAN Wei Ming', 'Tan Wei Ming', '{}'), ($1, $3, 0.9, 'TAN Wei Ming', 'Tan Wei Ming', '{}')`,
        [screeningId, stranger, randomUUID()],
      ),
    ).rejects.toThrow(new RegExp(`names no blacklist entry`));
    await expect(
      t.dataSource.query(`UPDATE screening_candidate SET entry_id = $2 WHERE screening_id = $1`, [
        screeningId,
        stranger,
      ]),
    ).rejects.toThrow(/names no blacklist entry/);
    const rows = await t.dataSource.query(
      `SELECT entry_id FROM screening_candidate WHERE screening_id = $1`,
      [screeningId],
    );
    expect(rows).toEqual([{ entry_id: entryId }]);
  });
});
