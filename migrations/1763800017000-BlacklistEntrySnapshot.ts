import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A blacklist entry's identity is the banning country's: at activation the person's names, date of
 * birth, nationalities, sex and documents are copied into the entry (`identity_*`), and screening keys
 * and profiles are made from that copy, never from the live person. A later change of the person by
 * its owner becomes a pending amendment (`blacklist_entry_amendment`) that the banning country accepts
 * or rejects. Active, lifted and expired entries are filled from their person as it is now (what their
 * keys and profile were made from until today).
 */
export class BlacklistEntrySnapshot1763800017000 implements MigrationInterface {
  name = 'BlacklistEntrySnapshot1763800017000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE blacklist_entry
        ADD COLUMN identity_names jsonb,
        ADD COLUMN identity_birth_date text,
        ADD COLUMN identity_nationalities text[],
        ADD COLUMN identity_sex text,
        ADD COLUMN identity_documents jsonb,
        ADD COLUMN identity_taken_at timestamptz(3)`);
    await q.query(`
      UPDATE blacklist_entry e
         SET identity_names = p.names, identity_birth_date = p.birth_date,
             identity_nationalities = p.nationalities, identity_sex = p.sex,
             identity_documents = p.documents, identity_taken_at = now()
        FROM person p
       WHERE p.id = e.person_id AND e.status IN ('active', 'lifted')`);
    await q.query(`
      CREATE TABLE blacklist_entry_amendment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        entry_id uuid NOT NULL REFERENCES blacklist_entry(id),
        person_id uuid NOT NULL REFERENCES person(id),
        proposing_country char(2) NOT NULL REFERENCES country(code),
        banning_country char(2) NOT NULL REFERENCES country(code),
        names jsonb NOT NULL,
        birth_date text,
        nationalities text[] NOT NULL,
        sex text,
        documents jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'accepted', 'rejected', 'superseded')),
        proposed_by uuid REFERENCES app_user(id),
        proposed_at timestamptz(3) NOT NULL DEFAULT now(),
        decided_by uuid REFERENCES app_user(id),
        decided_at timestamptz(3),
        decision_comment text,
        version integer NOT NULL DEFAULT 1
      )`);
    // The banning country lists an entry's amendments; a change of the person finds the pending ones.
    await q.query(
      `CREATE INDEX blacklist_entry_amendment_entry ON blacklist_entry_amendment (entry_id, proposed_at)`,
    );
    await q.query(
      `CREATE INDEX blacklist_entry_amendment_pending ON blacklist_entry_amendment (entry_id) WHERE status = 'pending'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE blacklist_entry_amendment`);
    await q.query(`
      ALTER TABLE blacklist_entry
        DROP COLUMN identity_names, DROP COLUMN identity_birth_date, DROP COLUMN identity_nationalities,
        DROP COLUMN identity_sex, DROP COLUMN identity_documents, DROP COLUMN identity_taken_at`);
  }
}
