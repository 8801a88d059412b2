import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An owner's edit of a person no longer proposes blacklist amendments itself: it queues the person here
 * (a plain insert, no lock on any entry), and a background job proposes the amendments after the edit
 * commits. Before, the edit share-locked the person's cooperating entries, so a banning country's
 * decision under way on an entry (which locks it for update) held the owner's edit, and the owner could
 * tell from its own latency that the banning country was at work on its person.
 *
 * No unique key on `person_id`: a second edit queues a second row instead of waiting on the job that
 * may be deleting the first (the wait would carry the same signal).
 */
export class AmendmentProposalQueue1763800800000 implements MigrationInterface {
  name = 'AmendmentProposalQueue1763800800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE blacklist_amendment_task (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        queued_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX blacklist_amendment_task_person ON blacklist_amendment_task (person_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE blacklist_amendment_task`);
  }
}
