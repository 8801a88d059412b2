import { Client } from 'pg';
import { upload } from '../attachments/attachment-support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * A proposal's draft edit may take an entry off (it is deleted) while a file is being uploaded to it.
 * The edit locks the draft's entries, checks them for files, then deletes those taken off; the upload
 * re-reads its entry in its own transaction before recording the file. Here the edit's side is held
 * open by hand (the entry deleted, not yet committed) while the upload reaches its re-read: the upload
 * must wait and then answer 404 (the entry is gone), never record a file on a missing entry or 500.
 */
describe('Blacklist: a file uploaded to an entry that a draft edit is taking off', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  it('waits for the edit, then answers 404; nothing is recorded', async () => {
    const proposal = (
      await tf['kr.officer']
        .post('/blacklist-entries/batch', {
          frameworkId: tf.cambodiaKoreaFramework,
          banningCountry: 'KH',
          entries: [
            {
              person: {
                names: [{ full: 'YOON Race', script: 'latin', kind: 'primary' }],
                nationalities: ['KR'],
              },
              grounds: 'Recruiter for a compound.',
              groundsSummary: 'Recruiter',
            },
          ],
        })
        .expect(201)
    ).body as { id: string; entries: Array<{ id: string }> };
    const entryId = proposal.entries[0]!.id;

    const edit = new Client({ connectionString: t.databaseUrl });
    await edit.connect();
    try {
      await edit.query('BEGIN');
      await edit.query(`SELECT 1 FROM blacklist_entry WHERE proposal_id = $1 FOR UPDATE`, [proposal.id]);
      await edit.query(`DELETE FROM blacklist_entry WHERE id = $1`, [entryId]);
      const uploading = upload(
        t,
        tf['kr.officer'],
        `/blacklist-entries/${entryId}/attachments`,
        Buffer.from('A scan of the passport'),
        'passport.txt',
      ).then((res) => res);
      // The upload has reached the entry and waits on the edit's lock.
      const deadline = Date.now() + 20_000;
      for (;;) {
        const [{ waiting }] = (
          await edit.query(
            `SELECT count(*)::int AS waiting FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
          )
        ).rows;
        if (waiting > 0) break;
        if (Date.now() > deadline) throw new Error('the upload never waited on the edit');
        await new Promise((r) => setTimeout(r, 50));
      }
      await edit.query('COMMIT');
      const res = await uploading;
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ status: 404 });
    } finally {
      await edit.end();
    }
    expect(
      await t.dataSource.query(`SELECT count(*)::int AS n FROM attachment WHERE blacklist_entry_id = $1`, [
        entryId,
      ]),
    ).toEqual([{ n: 0 }]);
  });
});
