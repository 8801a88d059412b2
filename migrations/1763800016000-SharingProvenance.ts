import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where shared data came from (issue 15): one `person_provenance` row each time a person is released
 * to another country (by a request, a case share or link, an arrest share), with the handling code it
 * travelled under; `release_grant` holds an originator's consent to pass a person on to a named
 * country (the `release` request kind); shares of cases and arrests carry a handling code.
 * Existing links are written into provenance here, so the release rule holds for data shared before.
 */
export class SharingProvenance1763800016000 implements MigrationInterface {
  name = 'SharingProvenance1763800016000';

  async up(q: QueryRunner): Promise<void> {
    const code = `CHECK (handling_code IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'))`;
    await q.query(`
      CREATE TABLE person_provenance (
        id bigserial PRIMARY KEY,
        person_id uuid NOT NULL REFERENCES person(id),
        receiving_country char(2) NOT NULL,
        released_by_country char(2) NOT NULL,
        originator_country char(2) NOT NULL,
        handling_code text NOT NULL ${code},
        via_type text NOT NULL CHECK (via_type IN ('request', 'case', 'arrest')),
        via_id uuid NOT NULL,
        released_by uuid REFERENCES app_user(id),
        released_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (receiving_country <> released_by_country)
      )`);
    await q.query(
      `CREATE INDEX person_provenance_holder ON person_provenance (person_id, receiving_country, handling_code)`,
    );
    // Identifiers (phones, account numbers, wallet addresses) travel as values, not records: their
    // provenance is kept by a normalised key (`src/sharing/identifier-keys.ts`).
    await q.query(`
      CREATE TABLE identifier_provenance (
        id bigserial PRIMARY KEY,
        identifier text NOT NULL,
        receiving_country char(2) NOT NULL,
        released_by_country char(2) NOT NULL,
        originator_country char(2) NOT NULL,
        handling_code text NOT NULL ${code},
        via_type text NOT NULL CHECK (via_type IN ('request', 'case', 'arrest')),
        via_id uuid NOT NULL,
        released_by uuid REFERENCES app_user(id),
        released_at timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
        CHECK (receiving_country <> released_by_country)
      )`);
    await q.query(
      `CREATE INDEX identifier_provenance_holder ON identifier_provenance (identifier, receiving_country)`,
    );
    await q.query(
      `CREATE INDEX identifier_provenance_releaser ON identifier_provenance (identifier, released_by_country)`,
    );
    await q.query(`
      CREATE TABLE release_grant (
        id bigserial PRIMARY KEY,
        person_id uuid REFERENCES person(id),
        identifier text,
        holder_country char(2) NOT NULL,
        recipient_country char(2) NOT NULL,
        granted_by_country char(2) NOT NULL,
        request_id uuid NOT NULL REFERENCES cross_border_request(id),
        granted_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK ((person_id IS NULL) <> (identifier IS NULL))
      )`);
    await q.query(
      `CREATE INDEX release_grant_person ON release_grant (person_id, holder_country, recipient_country)`,
    );
    await q.query(
      `CREATE INDEX release_grant_identifier ON release_grant (identifier, holder_country, recipient_country)`,
    );
    await q.query(`ALTER TABLE case_share ADD COLUMN handling_code text NOT NULL DEFAULT 'AMBER' ${code}`);
    await q.query(`ALTER TABLE arrest_share ADD COLUMN handling_code text NOT NULL DEFAULT 'AMBER' ${code}`);
    await q.query(
      `ALTER TABLE cross_border_request DROP CONSTRAINT IF EXISTS cross_border_request_kind_check`,
    );
    await q.query(
      `ALTER TABLE cross_border_request ADD CONSTRAINT cross_border_request_kind_check
         CHECK (kind IN ('information', 'asset_freeze', 'repatriation', 'blacklist', 'release'))`,
    );

    // What was already shared, as provenance: persons of requests (to the other side), of shared cases
    // and of shared arrests. A person never has provenance in its own country.
    await q.query(`
      INSERT INTO person_provenance (person_id, receiving_country, released_by_country, originator_country,
                                     handling_code, via_type, via_id, released_at)
      SELECT rp.person_id,
             CASE rp.added_by_side WHEN 'origin' THEN r.target_country ELSE r.origin_country END,
             CASE rp.added_by_side WHEN 'origin' THEN r.origin_country ELSE r.target_country END,
             p.owner_country, r.handling_code, 'request', r.id, coalesce(r.sent_at, r.created_at)
        FROM request_person rp
        JOIN cross_border_request r ON r.id = rp.request_id
        JOIN person p ON p.id = rp.person_id
       WHERE p.owner_country <> CASE rp.added_by_side WHEN 'origin' THEN r.target_country ELSE r.origin_country END`);
    await q.query(`
      INSERT INTO person_provenance (person_id, receiving_country, released_by_country, originator_country,
                                     handling_code, via_type, via_id, released_at)
      SELECT cp.person_id, s.country_code, c.owner_country, p.owner_country, s.handling_code, 'case', c.id, s.shared_at
        FROM case_share s
        JOIN case_file c ON c.id = s.case_id
        JOIN case_person cp ON cp.case_id = c.id
        JOIN person p ON p.id = cp.person_id
       WHERE s.revoked_at IS NULL AND p.owner_country <> s.country_code`);
    await q.query(`
      INSERT INTO person_provenance (person_id, receiving_country, released_by_country, originator_country,
                                     handling_code, via_type, via_id, released_at)
      SELECT a.person_id, s.country_code, a.arresting_country, p.owner_country, s.handling_code, 'arrest', a.id, s.shared_at
        FROM arrest_share s
        JOIN arrest a ON a.id = s.arrest_id
        JOIN person p ON p.id = a.person_id
       WHERE p.owner_country <> s.country_code`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE cross_border_request DROP CONSTRAINT IF EXISTS cross_border_request_kind_check`,
    );
    await q.query(
      `ALTER TABLE cross_border_request ADD CONSTRAINT cross_border_request_kind_check
         CHECK (kind IN ('information', 'asset_freeze', 'repatriation', 'blacklist')) NOT VALID`,
    );
    await q.query(`ALTER TABLE arrest_share DROP COLUMN handling_code`);
    await q.query(`ALTER TABLE case_share DROP COLUMN handling_code`);
    await q.query(`DROP TABLE release_grant`);
    await q.query(`DROP TABLE identifier_provenance`);
    await q.query(`DROP TABLE person_provenance`);
  }
}
