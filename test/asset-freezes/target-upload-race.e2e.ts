import { Client } from 'pg';
import { upload } from '../attachments/attachment-support';
import { aBankAccount } from './asset-freeze-scenario';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * A draft's edit may take a freeze target off (it is deleted) while a file is being uploaded to it.
 * The edit locks the draft's targets, checks them for files, then deletes those taken off; the upload
 * re-reads its target in its own transaction before recording the file. Here the edit's side is held
 * open by hand (the target deleted, not yet committed) while the upload reaches its re-read: the upload
 * must wait and then answer 404 (the target is gone), never record a file on a missing target or 500.
 */
describe('Asset freezes: a file uploaded to a target that a draft edit is taking off', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  it('waits for the edit, then answers 404; nothing is recorded', async () => {
    const draft = (
      await tf['kr.officer']
        .post('/asset-freeze-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KH',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: 'Freeze the mule account',
          targets: [aBankAccount({ accountNumber: '7711-2026-0001' })],
        })
        .expect(201)
    ).body as { id: string; targets: Array<{ id: string }> };
    const targetId = draft.targets[0]!.id;

    const edit = new Client({ connectionString: t.databaseUrl });
    await edit.connect();
    try {
      await edit.query('BEGIN');
      await edit.query(`SELECT 1 FROM asset_freeze_target WHERE request_id = $1 FOR UPDATE`, [draft.id]);
      await edit.query(`DELETE FROM asset_freeze_target WHERE id = $1`, [targetId]);
      const uploading = upload(
        t,
        tf['kr.officer'],
        `/asset-freeze-requests/${draft.id}/targets/${targetId}/attachments`,
        Buffer.from('The bank’s letter about the account'),
        'letter.txt',
      ).then((res) => res);
      // The upload has reached the target and waits on the edit's lock.
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
      await t.dataSource.query(
        `SELECT count(*)::int AS n FROM attachment WHERE asset_freeze_target_id = $1`,
        [targetId],
      ),
    ).toEqual([{ n: 0 }]);
  });
});
