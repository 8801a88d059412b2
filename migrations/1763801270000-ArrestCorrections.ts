import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Corrections of an arrest by its arresting country (`PATCH /arrests/:id`): which fields each changed,
 * who and when, and `told` — the countries an active framework joined to the arresting country then
 * (`countries_told_by`), as a custody step records it. A correction made while no framework joined the
 * arresting country to a partner was not given to that partner: once cooperation resumes, it reads the
 * arrest's last change as of then, not at the arresting country's own time (as for custody steps, probe
 * r5). The values before and after are in the correction's audit event (`arrest.correct`), not here.
 */
export class ArrestCorrections1763801270000 implements MigrationInterface {
  name = 'ArrestCorrections1763801270000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE arrest_correction (
        id bigserial PRIMARY KEY,
        arrest_id uuid NOT NULL REFERENCES arrest(id),
        changed_fields text[] NOT NULL,
        actor_user_id uuid REFERENCES app_user(id),
        actor_country char(2),
        told char(2)[],
        at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX arrest_correction_arrest ON arrest_correction (arrest_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE arrest_correction`);
  }
}
