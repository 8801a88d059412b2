import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A country that kept a copy of another country's person (a framework ended; since probe r7, a share
 * revoked or a request withdrawn too) does not carry the numbers the owner added meanwhile: a request it
 * received with such a number found no case of its to correlate with (`identifier_case_carriers` reads the
 * copy). When the copy goes (`person_return`: the person is read live again), the numbers it now carries
 * in its cases are matched again with what it holds as received, as when those were indexed
 * (`identifier_correlation_on_index`); the sweep tells it (or withholds, while it cannot read both sides).
 */
export class CorrelateOnPersonReturn1763800860000 implements MigrationInterface {
  name = 'CorrelateOnPersonReturn1763800860000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION identifier_correlation_on_person_return() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        INSERT INTO identifier_correlation (case_id, country_code, match_key, kind, record_type, record_id, field)
        SELECT DISTINCT ON (k.case_id, n.request_id, n.match_key)
               k.case_id, n.holder_country, n.match_key, n.kind, 'request', n.request_id, n.field
          FROM (SELECT a.match_key, a.kind, a.holder_country, a.field,
                       CASE a.record_type WHEN 'request' THEN a.record_id
                            ELSE (SELECT t.request_id FROM asset_freeze_target t WHERE t.id = a.record_id) END AS request_id
                  FROM returned r
                  JOIN identifier_index p ON p.record_type = 'person' AND p.record_id = r.person_id
                  JOIN identifier_index a ON a.match_key = p.match_key AND a.holder_country = r.country_code
                 WHERE a.standing = 'received' AND a.handling_code <> 'RED'
                   AND a.record_type IN ('request', 'asset_freeze_target')) n
          JOIN cross_border_request s ON s.id = n.request_id
         CROSS JOIN LATERAL identifier_case_carriers(n.match_key, n.holder_country) k
         WHERE k.case_id IS DISTINCT FROM s.case_id
           AND k.request_id IS DISTINCT FROM n.request_id
         ORDER BY k.case_id, n.request_id, n.match_key, n.field
        ON CONFLICT (case_id, record_type, record_id, match_key) DO NOTHING;
        RETURN NULL;
      END $fn$`);
    await q.query(`
      CREATE TRIGGER person_return_correlate AFTER INSERT ON person_return
        REFERENCING NEW TABLE AS returned
        FOR EACH STATEMENT EXECUTE FUNCTION identifier_correlation_on_person_return()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER person_return_correlate ON person_return`);
    await q.query(`DROP FUNCTION identifier_correlation_on_person_return()`);
  }
}
