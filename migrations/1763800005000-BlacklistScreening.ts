import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Blacklist entries (proposed through `blacklist` requests, decided one by one by the banning country),
 * their search keys for screening, screenings with their candidates, and hit alerts.
 */
export class BlacklistScreening1763800005000 implements MigrationInterface {
  name = 'BlacklistScreening1763800005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE blacklist_entry (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        proposal_id uuid NOT NULL REFERENCES cross_border_request(id),
        -- The entry's row in the proposed list, from 0: rows are reported and shown in this order.
        position integer NOT NULL,
        person_id uuid NOT NULL REFERENCES person(id),
        proposing_country char(2) NOT NULL REFERENCES country(code),
        banning_country char(2) NOT NULL REFERENCES country(code),
        case_id uuid REFERENCES case_file(id),
        grounds text NOT NULL CHECK (length(grounds) BETWEEN 1 AND 5000),
        grounds_summary text NOT NULL CHECK (length(grounds_summary) BETWEEN 1 AND 300),
        status text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'active', 'rejected', 'lifted')),
        legal_basis text,
        expires_on date,
        decision_reason text,
        decided_by uuid REFERENCES app_user(id),
        decided_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (status <> 'active' OR (legal_basis IS NOT NULL AND expires_on IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX blacklist_entry_proposal ON blacklist_entry (proposal_id, position)`);
    await q.query(
      `CREATE INDEX blacklist_entry_active ON blacklist_entry (banning_country, expires_on) WHERE status = 'active'`,
    );
    // Blocking keys for screening: normalised tokens, romanisation variants, phonetic codes, documents.
    await q.query(`
      CREATE TABLE blacklist_search_key (
        entry_id uuid NOT NULL REFERENCES blacklist_entry(id),
        banning_country char(2) NOT NULL,
        key text NOT NULL,
        PRIMARY KEY (banning_country, key, entry_id)
      )`);
    await q.query(`
      CREATE TABLE screening (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        country_code char(2) NOT NULL REFERENCES country(code),
        screener_id uuid NOT NULL REFERENCES app_user(id),
        checkpoint text NOT NULL,
        query jsonb NOT NULL,
        document_key text,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX screening_country_time ON screening (country_code, created_at DESC)`);
    await q.query(`
      CREATE TABLE screening_candidate (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        screening_id uuid NOT NULL REFERENCES screening(id),
        entry_id uuid NOT NULL REFERENCES blacklist_entry(id),
        score numeric(5,4) NOT NULL,
        matched_query_name text NOT NULL,
        matched_entry_name text NOT NULL,
        reasons text[] NOT NULL,
        found_by text NOT NULL DEFAULT 'query' CHECK (found_by IN ('query', 'rescreen')),
        decision text CHECK (decision IN ('confirmed', 'cleared')),
        decision_reason text,
        decided_by uuid REFERENCES app_user(id),
        decided_at timestamptz(3),
        UNIQUE (screening_id, entry_id)
      )`);
    await q.query(`
      CREATE TABLE screening_alert (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        candidate_id uuid NOT NULL UNIQUE REFERENCES screening_candidate(id),
        kind text NOT NULL CHECK (kind IN ('confirmed_hit', 'rescreen_match')),
        banning_country char(2) NOT NULL,
        proposing_country char(2) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX screening_alert_banning ON screening_alert (banning_country, created_at DESC)`,
    );
    await q.query(
      `CREATE INDEX screening_alert_proposing ON screening_alert (proposing_country, created_at DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'screening_alert',
      'screening_candidate',
      'screening',
      'blacklist_search_key',
      'blacklist_entry',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
