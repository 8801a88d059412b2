import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A country that arrests another country's person reads that person only while it is shared with it;
 * once the share is revoked its own arrest showed the owner's later edits (probe r6). The arrest now
 * keeps the person as the arresting country read it when it recorded the arrest, and shows that to it
 * when it no longer reads the person. Existing arrests of another country's person take the arresting
 * country's kept copy if it keeps one, else the person as it stands: the best there is.
 */
export class ArrestPersonAsRecorded1763800850000 implements MigrationInterface {
  name = 'ArrestPersonAsRecorded1763800850000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE arrest ADD COLUMN person_as_recorded jsonb`);
    await q.query(`
      UPDATE arrest a
         SET person_as_recorded = (
           SELECT jsonb_build_object(
                    'names', COALESCE(k.names, p.names),
                    'birthDate', CASE WHEN k.person_id IS NULL THEN p.birth_date ELSE k.birth_date END,
                    'sex', CASE WHEN k.person_id IS NULL THEN p.sex ELSE k.sex END,
                    'nationalities', COALESCE(k.nationalities, p.nationalities))
             FROM person p
             LEFT JOIN person_kept_copy k ON k.person_id = p.id AND k.country_code = a.arresting_country
            WHERE p.id = a.person_id)
       WHERE EXISTS (SELECT 1 FROM person p WHERE p.id = a.person_id AND p.owner_country <> a.arresting_country)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE arrest DROP COLUMN person_as_recorded`);
  }
}
