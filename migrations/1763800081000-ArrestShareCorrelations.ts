import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Correlation alerts (issue 20, item 5) for the one remaining way a record reaches a country: an arrest
 * shared with it (`POST /arrests/:id/shares`). The arrest's place (a compound) is indexed for the
 * arresting country and the arrested person's phones and passports for the person's owner, so a trigger
 * on `arrest_share` matches both for the country the arrest was shared with, against that country's open
 * cases (`identifier_case_carriers`), naming the arrest. An arrest is never shared under RED (the DTO
 * refuses it); the check stays here so a row written by hand is held to the same rule.
 */
export class ArrestShareCorrelations1763800081000 implements MigrationInterface {
  name = 'ArrestShareCorrelations1763800081000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE identifier_correlation DROP CONSTRAINT identifier_correlation_record_type_check`,
    );
    await q.query(`ALTER TABLE identifier_correlation ADD CONSTRAINT identifier_correlation_record_type_check
      CHECK (record_type IN ('request', 'case', 'arrest'))`);
    await q.query(`
      CREATE FUNCTION identifier_correlation_on_arrest_share() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        INSERT INTO identifier_correlation (case_id, country_code, match_key, kind, record_type, record_id, field)
        SELECT DISTINCT ON (k.case_id, i.match_key)
               k.case_id, NEW.country_code, i.match_key, i.kind, 'arrest', a.id,
               CASE i.record_type WHEN 'arrest' THEN i.field ELSE 'person.' || i.field END
          FROM arrest a
          JOIN identifier_index i
            ON (i.record_type = 'arrest' AND i.record_id = a.id AND i.holder_country = a.arresting_country)
            OR (i.record_type = 'person' AND i.record_id = a.person_id)
         CROSS JOIN LATERAL identifier_case_carriers(i.match_key, NEW.country_code) k
         WHERE a.id = NEW.arrest_id AND k.case_id IS DISTINCT FROM a.case_id
         ORDER BY k.case_id, i.match_key, i.field
        ON CONFLICT (case_id, record_type, record_id, match_key) DO NOTHING;
        RETURN NULL;
      END $fn$`);
    await q.query(`
      CREATE TRIGGER arrest_share_correlate AFTER INSERT ON arrest_share
        FOR EACH ROW WHEN (NEW.handling_code <> 'RED')
        EXECUTE FUNCTION identifier_correlation_on_arrest_share()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER arrest_share_correlate ON arrest_share`);
    await q.query(`DROP FUNCTION identifier_correlation_on_arrest_share()`);
    await q.query(`DELETE FROM identifier_correlation WHERE record_type = 'arrest'`);
    await q.query(
      `ALTER TABLE identifier_correlation DROP CONSTRAINT identifier_correlation_record_type_check`,
    );
    await q.query(`ALTER TABLE identifier_correlation ADD CONSTRAINT identifier_correlation_record_type_check
      CHECK (record_type IN ('request', 'case'))`);
  }
}
