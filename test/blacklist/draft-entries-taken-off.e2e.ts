import { DraftBlacklistEntriesTakenOff1763801360000 } from '../../migrations/1763801360000-DraftBlacklistEntriesTakenOff';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Blacklist entries are never deleted (screening candidates name them without a foreign key), except
 * an entry of a proposal still a draft, never sent, that its edit takes off (migration 1763801360000):
 * the database itself refuses every other delete, whoever sends it.
 */
describe('Blacklist entries: only a draft’s entry may be deleted', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const proposal = async (full: string) =>
    (
      await tf['kr.officer']
        .post('/blacklist-entries/batch', {
          frameworkId: tf.cambodiaKoreaFramework,
          banningCountry: 'KH',
          entries: [
            {
              person: { names: [{ full, script: 'latin', kind: 'primary' }], nationalities: ['KR'] },
              grounds: 'Recruiter for a compound.',
              groundsSummary: 'Recruiter',
            },
          ],
        })
        .expect(201)
    ).body as { id: string; version: number; entries: Array<{ id: string }> };
  const remove = (entryId: string) =>
    t.dataSource.query(`DELETE FROM blacklist_entry WHERE id = $1`, [entryId]).then(
      () => 'deleted',
      (e: Error) => e.message,
    );
  const KEPT = 'blacklist entries are kept: end one by its status, never by deleting it';

  it('refuses the delete of a sent proposal’s entry, lets a draft’s go; down, it refuses both again', async () => {
    const sent = await proposal('YOON Sent');
    const submitted = (
      await tf['kr.officer']
        .post(`/blacklist-proposals/${sent.id}/submit`, { version: sent.version })
        .expect(200)
    ).body;
    await tf['kr.liaison']
      .post(`/blacklist-proposals/${sent.id}/approve`, { version: submitted.version })
      .expect(200);
    expect(await remove(sent.entries[0]!.id)).toBe(KEPT);
    const [draft, other] = [await proposal('YOON Draft'), await proposal('YOON Other')];

    const runner = t.dataSource.createQueryRunner();
    try {
      const migration = new DraftBlacklistEntriesTakenOff1763801360000();
      await migration.down(runner);
      expect(await remove(draft.entries[0]!.id)).toBe(KEPT);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await remove(draft.entries[0]!.id)).toBe('deleted');
    expect(await remove(sent.entries[0]!.id)).toBe(KEPT);
    expect(
      await t.dataSource.query(`SELECT id FROM blacklist_entry WHERE id = ANY($1::uuid[]) ORDER BY id`, [
        [draft.entries[0]!.id, other.entries[0]!.id, sent.entries[0]!.id],
      ]),
    ).toEqual([other.entries[0]!.id, sent.entries[0]!.id].sort().map((id) => ({ id })));
  });
});
