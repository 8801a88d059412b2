import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a kept copy goes (`person_return`, migration 1763800860000), the numbers the country's cases now
 * carry are also matched with the persons named in requests it received (the sender's persons of a
 * request sent to it, the persons of findings it was given), as `identifier_correlate_request_persons`
 * matched them when they were named: a KH request naming SOK, who carries the phone KH gave CHEA while
 * KR kept CHEA's copy, found no KR case then, and KR never heard of it after the re-share.
 */
export class CorrelateNamedPersonsOnReturn1763800880000 implements MigrationInterface {
  name = 'CorrelateNamedPersonsOnReturn1763800880000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION identifier_correlation_named_on_person_return() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        INSERT INTO identifier_correlation (case_id, country_code, match_key, kind, record_type, record_id, field)
        SELECT DISTINCT ON (k.case_id, n.request_id, n.match_key)
               k.case_id, n.country, n.match_key, n.kind, 'request', n.request_id, n.field
          FROM (SELECT named.match_key, named.kind, r.country_code AS country, s.id AS request_id,
                       s.case_id AS request_case,
                       CASE rp.added_by_side WHEN 'target' THEN 'findings.persons.' ELSE 'persons.' END
                         || named.field AS field
                  FROM returned r
                  JOIN identifier_index p ON p.record_type = 'person' AND p.record_id = r.person_id
                  JOIN identifier_index named ON named.match_key = p.match_key AND named.record_type = 'person'
                  JOIN request_person rp ON rp.person_id = named.record_id
                  JOIN cross_border_request s ON s.id = rp.request_id
                 WHERE s.sent_at IS NOT NULL AND s.handling_code <> 'RED'
                   AND r.country_code = CASE rp.added_by_side WHEN 'origin' THEN s.target_country
                                                              ELSE s.origin_country END) n
         CROSS JOIN LATERAL identifier_case_carriers(n.match_key, n.country) k
         WHERE k.case_id IS DISTINCT FROM n.request_case
           AND k.request_id IS DISTINCT FROM n.request_id
         ORDER BY k.case_id, n.request_id, n.match_key, n.field
        ON CONFLICT (case_id, record_type, record_id, match_key) DO NOTHING;
        RETURN NULL;
      END $fn$`);
    await q.query(`
      CREATE TRIGGER person_return_correlate_named AFTER INSERT ON person_return
        REFERENCING NEW TABLE AS returned
        FOR EACH STATEMENT EXECUTE FUNCTION identifier_correlation_named_on_person_return()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER person_return_correlate_named ON person_return`);
    await q.query(`DROP FUNCTION identifier_correlation_named_on_person_return()`);
  }
}
