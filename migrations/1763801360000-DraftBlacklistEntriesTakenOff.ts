import { MigrationInterface, QueryRunner } from 'typeorm';

const REFUSAL = `RAISE EXCEPTION 'blacklist entries are kept: end one by its status, never by deleting it'
          USING ERRCODE = 'restrict_violation';`;

/**
 * A proposal's draft may be corrected (`PATCH /blacklist-proposals/:id` with `entries`): an entry the
 * edit takes off is deleted. Entries are otherwise never deleted (1763801040000): screening candidates
 * name them without a foreign key. An entry still `proposed` on a proposal that is a draft and was never
 * sent was never active, so no screening met it, and its banning country never read it: the trigger
 * lets that one go, and keeps refusing every other.
 */
export class DraftBlacklistEntriesTakenOff1763801360000 implements MigrationInterface {
  name = 'DraftBlacklistEntriesTakenOff1763801360000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION blacklist_entry_kept() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF OLD.status = 'proposed' AND EXISTS (
               SELECT 1 FROM cross_border_request r
                WHERE r.id = OLD.proposal_id AND r.status = 'draft' AND r.sent_at IS NULL) THEN
            RETURN OLD;
          END IF;
        END IF;
        ${REFUSAL}
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION blacklist_entry_kept() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${REFUSAL}
      END $$`);
  }
}
