import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Arrests (one raid can hold hundreds), their custody history and explicit shares, and the persons of
 * repatriation requests with their per-person handover. A person is on at most one open repatriation
 * request: the partial unique index refuses the second one even under concurrent creates.
 */
export class ArrestsRepatriation1763800007000 implements MigrationInterface {
  name = 'ArrestsRepatriation1763800007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE arrest (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        arresting_country char(2) NOT NULL REFERENCES country(code),
        raid_id uuid,
        person_id uuid NOT NULL REFERENCES person(id),
        nationality char(2) NOT NULL REFERENCES country(code),
        arrested_at timestamptz(3) NOT NULL,
        place text NOT NULL CHECK (length(place) BETWEEN 1 AND 500),
        province text,
        district text,
        latitude numeric(9, 6) CHECK (latitude BETWEEN -90 AND 90),
        longitude numeric(9, 6) CHECK (longitude BETWEEN -180 AND 180),
        case_id uuid REFERENCES case_file(id),
        operation text,
        grounds text NOT NULL CHECK (length(grounds) BETWEEN 1 AND 2000),
        arresting_agency text NOT NULL CHECK (length(arresting_agency) BETWEEN 1 AND 300),
        custody_status text NOT NULL CHECK (custody_status IN ('detained', 'released', 'charged', 'transferred', 'repatriated', 'deceased')),
        -- Links to records of later modules (screening, blacklist): no foreign keys until their tables exist.
        screening_hit_id uuid,
        blacklist_entry_id uuid,
        blacklist_request_id uuid,
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK ((latitude IS NULL) = (longitude IS NULL))
      )`);
    await q.query(`CREATE INDEX arrest_country ON arrest (arresting_country, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX arrest_nationality ON arrest (nationality)`);
    await q.query(`CREATE INDEX arrest_person ON arrest (person_id)`);
    await q.query(`CREATE INDEX arrest_raid ON arrest (raid_id) WHERE raid_id IS NOT NULL`);
    await q.query(`CREATE INDEX arrest_case ON arrest (case_id) WHERE case_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE arrest_custody_history (
        id bigserial PRIMARY KEY,
        arrest_id uuid NOT NULL REFERENCES arrest(id),
        from_status text,
        to_status text NOT NULL,
        reason text,
        request_id uuid REFERENCES cross_border_request(id),
        actor_user_id uuid REFERENCES app_user(id),
        actor_username text,
        actor_country char(2),
        at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX arrest_custody_history_arrest ON arrest_custody_history (arrest_id, id)`);
    await q.query(`
      CREATE TABLE arrest_share (
        arrest_id uuid NOT NULL REFERENCES arrest(id),
        country_code char(2) NOT NULL REFERENCES country(code),
        shared_by uuid NOT NULL REFERENCES app_user(id),
        shared_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (arrest_id, country_code)
      )`);
    await q.query(`CREATE INDEX arrest_share_country ON arrest_share (country_code)`);

    await q.query(`
      CREATE TABLE repatriation_person (
        request_id uuid NOT NULL REFERENCES cross_border_request(id),
        arrest_id uuid NOT NULL REFERENCES arrest(id),
        person_id uuid NOT NULL REFERENCES person(id),
        -- True while the request is live (draft to accepted); cleared on withdraw, reject and fulfil.
        open boolean NOT NULL DEFAULT true,
        handed_over_by text,
        received_by text,
        handed_over_at timestamptz(3),
        handover_place text,
        handover_recorded_by uuid REFERENCES app_user(id),
        handover_recorded_at timestamptz(3),
        handover_confirmed_by uuid REFERENCES app_user(id),
        handover_confirmed_at timestamptz(3),
        drop_reason text CHECK (drop_reason IN ('released', 'charged_locally', 'deceased')),
        drop_note text,
        dropped_by uuid REFERENCES app_user(id),
        dropped_at timestamptz(3),
        PRIMARY KEY (request_id, arrest_id),
        CHECK (handover_confirmed_at IS NULL OR handover_recorded_at IS NOT NULL),
        CHECK (drop_reason IS NULL OR handover_confirmed_at IS NULL)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX repatriation_person_one_open ON repatriation_person (person_id) WHERE open`,
    );
    await q.query(`CREATE INDEX repatriation_person_arrest ON repatriation_person (arrest_id)`);
    await q.query(`
      CREATE TABLE repatriation_schedule (
        id bigserial PRIMARY KEY,
        request_id uuid NOT NULL REFERENCES cross_border_request(id),
        departure_at timestamptz(3) NOT NULL,
        departure_point text NOT NULL,
        arrival_point text NOT NULL,
        carrier text NOT NULL,
        flight_number text,
        sending_escorts text[] NOT NULL DEFAULT '{}',
        receiving_escorts text[] NOT NULL DEFAULT '{}',
        notes text,
        scheduled_by uuid NOT NULL REFERENCES app_user(id),
        scheduled_by_country char(2) NOT NULL,
        scheduled_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX repatriation_schedule_request ON repatriation_schedule (request_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'repatriation_schedule',
      'repatriation_person',
      'arrest_share',
      'arrest_custody_history',
      'arrest',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
