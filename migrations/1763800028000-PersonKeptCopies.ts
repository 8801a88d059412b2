import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A country keeps what it received when the cooperation that carried it ends (issue 15): before the
 * owner's first edit after a receiving country lost its framework with the owner, the person as it
 * stood is copied for that country, and that country reads the copy from then on. The owner's later
 * edits reach only the countries it still cooperates with.
 */
export class PersonKeptCopies1763800028000 implements MigrationInterface {
  name = 'PersonKeptCopies1763800028000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE person_kept_copy (
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        country_code char(2) NOT NULL,
        kept_since timestamptz NOT NULL DEFAULT now(),
        names jsonb NOT NULL,
        search_text text NOT NULL,
        birth_date text,
        nationalities text[] NOT NULL,
        sex text,
        documents jsonb NOT NULL,
        document_numbers text[] NOT NULL,
        phones text[] NOT NULL,
        notes text,
        updated_at timestamptz NOT NULL,
        version integer NOT NULL,
        PRIMARY KEY (person_id, country_code)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE person_kept_copy`);
  }
}
