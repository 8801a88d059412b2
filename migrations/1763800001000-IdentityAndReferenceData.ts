import { MigrationInterface, QueryRunner } from 'typeorm';

/** Countries, agencies, cooperation frameworks, users and their refresh-token sessions. */
export class IdentityAndReferenceData1763800001000 implements MigrationInterface {
  name = 'IdentityAndReferenceData1763800001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE country (
        code char(2) PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE agency (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        country_code char(2) NOT NULL REFERENCES country(code),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (country_code, name),
        UNIQUE (id, country_code)
      )`);
    await q.query(`
      CREATE TABLE framework (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
        valid_from date NOT NULL,
        valid_to date,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (valid_to IS NULL OR valid_to >= valid_from)
      )`);
    await q.query(`
      CREATE TABLE framework_member (
        framework_id uuid NOT NULL REFERENCES framework(id) ON DELETE CASCADE,
        country_code char(2) NOT NULL REFERENCES country(code),
        PRIMARY KEY (framework_id, country_code)
      )`);
    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
        display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
        agency_id uuid,
        country_code char(2),
        roles text[] NOT NULL CHECK (
          cardinality(roles) > 0
          AND roles <@ ARRAY['officer','liaison','screener','auditor','admin','platform_admin']::text[]),
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
        password_hash text NOT NULL,
        password_changed_at timestamptz NOT NULL DEFAULT now(),
        failed_logins integer NOT NULL DEFAULT 0,
        failed_logins_since timestamptz,
        locked_until timestamptz,
        -- Millisecond precision: list cursors carry this value through JSON and back.
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        FOREIGN KEY (agency_id, country_code) REFERENCES agency(id, country_code),
        -- Everyone acts for one country through their agency, except the platform administrator.
        CHECK ((agency_id IS NOT NULL AND country_code IS NOT NULL) OR roles = ARRAY['platform_admin']::text[])
      )`);
    await q.query(`CREATE UNIQUE INDEX app_user_username_key ON app_user (lower(username))`);
    await q.query(`CREATE INDEX app_user_country_idx ON app_user (country_code, created_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE refresh_token (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        family_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES app_user(id),
        token_hash bytea NOT NULL UNIQUE,
        session_started_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        rotated_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX refresh_token_family_idx ON refresh_token (family_id)`);
    await q.query(`CREATE INDEX refresh_token_user_idx ON refresh_token (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['refresh_token', 'app_user', 'framework_member', 'framework', 'agency', 'country']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
