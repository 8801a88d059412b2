import { MigrationInterface, QueryRunner } from 'typeorm';

/** Cases, persons, cross-border requests (all kinds share one table and life cycle), idempotency keys. */
export class CasesPersonsRequests1763800004000 implements MigrationInterface {
  name = 'CasesPersonsRequests1763800004000';

  async up(q: QueryRunner): Promise<void> {
    // Gap-free human references: the counter row is locked by the creating transaction and rolls back with it.
    await q.query(`
      CREATE TABLE reference_counter (
        country_code char(2) NOT NULL REFERENCES country(code),
        kind text NOT NULL,
        year integer NOT NULL,
        last_value integer NOT NULL,
        PRIMARY KEY (country_code, kind, year)
      )`);
    await q.query(`
      CREATE TABLE person (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_country char(2) NOT NULL REFERENCES country(code),
        names jsonb NOT NULL CHECK (jsonb_typeof(names) = 'array' AND jsonb_array_length(names) > 0),
        search_text text NOT NULL,
        birth_date text CHECK (birth_date ~ '^\\d{4}(-\\d{2}(-\\d{2})?)?$'),
        nationalities text[] NOT NULL DEFAULT '{}',
        sex text CHECK (sex IN ('male', 'female', 'other', 'unknown')),
        documents jsonb NOT NULL DEFAULT '[]',
        document_numbers text[] NOT NULL DEFAULT '{}',
        phones text[] NOT NULL DEFAULT '{}',
        notes text,
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX person_search_trgm ON person USING gin (search_text gin_trgm_ops)`);
    await q.query(`CREATE INDEX person_documents ON person USING gin (document_numbers)`);
    await q.query(`CREATE INDEX person_phones ON person USING gin (phones)`);
    await q.query(`CREATE INDEX person_owner ON person (owner_country, created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE case_file (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference text NOT NULL UNIQUE,
        owner_country char(2) NOT NULL REFERENCES country(code),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
        summary text NOT NULL DEFAULT '',
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        opened_on date NOT NULL,
        closed_on date,
        lead_officer_id uuid REFERENCES app_user(id),
        tags text[] NOT NULL DEFAULT '{}',
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX case_file_owner ON case_file (owner_country, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX case_file_tags ON case_file USING gin (tags)`);
    await q.query(
      `CREATE INDEX case_file_text ON case_file USING gin ((reference || ' ' || title || ' ' || summary) gin_trgm_ops)`,
    );
    await q.query(`
      CREATE TABLE case_person (
        case_id uuid NOT NULL REFERENCES case_file(id),
        person_id uuid NOT NULL REFERENCES person(id),
        role text NOT NULL CHECK (role IN ('suspect', 'victim', 'witness', 'ringleader', 'other')),
        PRIMARY KEY (case_id, person_id)
      )`);
    await q.query(`CREATE INDEX case_person_person ON case_person (person_id)`);
    await q.query(`
      CREATE TABLE case_share (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES case_file(id),
        country_code char(2) NOT NULL REFERENCES country(code),
        shared_by uuid NOT NULL REFERENCES app_user(id),
        shared_at timestamptz(3) NOT NULL DEFAULT now(),
        revoked_at timestamptz(3),
        revoked_by uuid REFERENCES app_user(id)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX case_share_active ON case_share (case_id, country_code) WHERE revoked_at IS NULL`,
    );
    await q.query(`CREATE INDEX case_share_country ON case_share (country_code) WHERE revoked_at IS NULL`);

    await q.query(`
      CREATE TABLE cross_border_request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('information', 'asset_freeze', 'repatriation', 'blacklist')),
        reference text NOT NULL UNIQUE,
        origin_country char(2) NOT NULL REFERENCES country(code),
        target_country char(2) NOT NULL REFERENCES country(code),
        framework_id uuid NOT NULL REFERENCES framework(id),
        case_id uuid REFERENCES case_file(id),
        priority text NOT NULL CHECK (priority IN ('routine', 'urgent', 'immediate')),
        handling_code text NOT NULL CHECK (handling_code IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
        status text NOT NULL DEFAULT 'draft',
        subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 500),
        payload jsonb NOT NULL DEFAULT '{}',
        outcome jsonb,
        created_by uuid NOT NULL REFERENCES app_user(id),
        submitted_by uuid REFERENCES app_user(id),
        approved_by uuid REFERENCES app_user(id),
        assigned_to uuid REFERENCES app_user(id),
        sent_at timestamptz(3),
        due_at timestamptz(3),
        accepted_at timestamptz(3),
        fulfilled_at timestamptz(3),
        closed_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (origin_country <> target_country)
      )`);
    await q.query(
      `CREATE INDEX request_origin ON cross_border_request (origin_country, kind, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX request_target ON cross_border_request (target_country, kind, created_at DESC, id DESC) WHERE sent_at IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX request_due ON cross_border_request (due_at) WHERE status IN ('sent', 'accepted')`,
    );
    await q.query(`
      CREATE TABLE request_person (
        request_id uuid NOT NULL REFERENCES cross_border_request(id),
        person_id uuid NOT NULL REFERENCES person(id),
        added_by_side text NOT NULL CHECK (added_by_side IN ('origin', 'target')),
        PRIMARY KEY (request_id, person_id)
      )`);
    await q.query(`CREATE INDEX request_person_person ON request_person (person_id)`);
    await q.query(`
      CREATE TABLE request_status_history (
        id bigserial PRIMARY KEY,
        request_id uuid NOT NULL REFERENCES cross_border_request(id),
        action text NOT NULL,
        from_status text,
        to_status text NOT NULL,
        actor_user_id uuid REFERENCES app_user(id),
        actor_username text,
        actor_country char(2),
        comment text,
        at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX request_history_request ON request_status_history (request_id, id)`);
    await q.query(`
      CREATE TABLE request_message (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL REFERENCES cross_border_request(id),
        author_id uuid NOT NULL REFERENCES app_user(id),
        author_username text NOT NULL,
        author_country char(2) NOT NULL,
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX request_message_request ON request_message (request_id, created_at, id)`);

    await q.query(`
      CREATE TABLE idempotency_key (
        user_id uuid NOT NULL REFERENCES app_user(id),
        key text NOT NULL,
        request_hash text NOT NULL,
        state text NOT NULL CHECK (state IN ('running', 'done')),
        response_status integer,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (user_id, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'idempotency_key',
      'request_message',
      'request_status_history',
      'request_person',
      'cross_border_request',
      'case_share',
      'case_person',
      'case_file',
      'person',
      'reference_counter',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
