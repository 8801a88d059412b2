import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Correlation alerts (issue 20, item 5): when a record newly visible to a country carries an identifier
 * that one of that country's open cases already holds, the case's officer hears of it.
 *
 * Found where every write path must pass: a statement trigger on `identifier_index`, whose rows are
 * themselves kept by triggers on the records (migration 1763800070000). A row a country newly holds as
 * `received` — a request's identifiers or freeze targets reaching its target at `sent`, an answer's
 * findings reaching the origin — is matched by (`match_key`, `holder_country`) against the identifiers
 * of that country's open cases: the persons linked to the case, the requests (identifiers, findings,
 * freeze targets) it is the case of, its arrests. Each match is one `identifier_correlation` row, unique
 * per case, record and identifier, so a later edit, a re-sync or a second sending alerts nobody twice.
 *
 * Nothing is found for a record received under `RED`: such a record is for its named recipients (the
 * target's liaisons and assigned officer) only, and an alert reaches the case's officer and the
 * country's audit trail. The record that brought the identifier, and the case it is itself filed under
 * (an answer to the case's own request), are not matched against themselves.
 *
 * Persons travel with requests as well (named in a request, found in an answer): their phones and
 * passports are indexed for their owner only, so triggers on `request_person` and on a request's move to
 * `sent` match them for the country they reached, naming the request that brought them; likewise
 * triggers on `case_share` and `case_person` for the persons of a case shared with a country, naming the
 * shared case.
 *
 * The row is announced (notification to the case's lead officer, audit event for the case's country)
 * by the app as the last work of the same transaction (`announced_at`; `tx_id` finds the transaction's
 * own rows); a row written outside the app (psql, a bulk load) is announced by the sweep job.
 */
export class IdentifierCorrelations1763800080000 implements MigrationInterface {
  name = 'IdentifierCorrelations1763800080000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE identifier_correlation (
        id bigserial PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES case_file(id),
        -- The case's country: the one the record became visible to.
        country_code char(2) NOT NULL,
        match_key text NOT NULL,
        kind text NOT NULL,
        -- The newly visible record, as that country reads it (a freeze target: its request; a person
        -- linked to a shared case: the case).
        record_type text NOT NULL CHECK (record_type IN ('request', 'case')),
        record_id uuid NOT NULL,
        -- Where the record carries it (identifiers.phones, findings.identifiers.bankAccounts, target).
        field text NOT NULL,
        found_at timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
        tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        announced_at timestamptz(3),
        UNIQUE (case_id, record_type, record_id, match_key)
      )`);
    await q.query(
      `CREATE INDEX identifier_correlation_unannounced ON identifier_correlation (tx_id) WHERE announced_at IS NULL`,
    );
    await q.query(`CREATE INDEX identifier_correlation_record ON identifier_correlation (record_id)`);

    // The records of `p_country`'s open cases that carry `p_key`, by case: persons linked to the case, named
    // in its requests or arrested in it (indexed for their owner, who may be another country), the case's
    // own requests (their identifiers, freeze targets, and the findings the country received on them) and
    // its arrests (their place).
    await q.query(`
      CREATE FUNCTION identifier_case_carriers(p_key text, p_country char(2))
        RETURNS TABLE (case_id uuid, record_type text, record_id uuid, request_id uuid)
        LANGUAGE sql STABLE AS $$
        SELECT x.case_id, i.record_type, i.record_id, x.request_id
          FROM identifier_index i
         CROSS JOIN LATERAL (
                SELECT cp.case_id, NULL::uuid AS request_id FROM case_person cp
                 WHERE i.record_type = 'person' AND cp.person_id = i.record_id
                UNION ALL
                SELECT r.case_id, r.id FROM request_person rp JOIN cross_border_request r ON r.id = rp.request_id
                 WHERE i.record_type = 'person' AND rp.person_id = i.record_id AND r.origin_country = p_country
                UNION ALL
                SELECT a.case_id, NULL FROM arrest a
                 WHERE i.record_type = 'person' AND a.person_id = i.record_id AND a.arresting_country = p_country
                UNION ALL
                SELECT r.case_id, r.id FROM cross_border_request r
                 WHERE i.record_type = 'request' AND r.id = i.record_id AND r.origin_country = i.holder_country
                UNION ALL
                SELECT r.case_id, r.id FROM asset_freeze_target t JOIN cross_border_request r ON r.id = t.request_id
                 WHERE i.record_type = 'asset_freeze_target' AND t.id = i.record_id AND r.origin_country = i.holder_country
                UNION ALL
                SELECT a.case_id, NULL FROM arrest a
                 WHERE i.record_type = 'arrest' AND a.id = i.record_id AND a.arresting_country = i.holder_country
              ) x
          JOIN case_file c ON c.id = x.case_id AND c.owner_country = p_country AND c.status = 'open'
         WHERE i.match_key = p_key AND (i.holder_country = p_country OR i.record_type = 'person')
           -- Of another country's person, the country reads only a copy once cooperation ended: the live
           -- person's numbers (a phone added since) are not what its case holds.
           AND (i.holder_country = p_country OR NOT EXISTS (
                 SELECT 1 FROM person_kept_copy pk WHERE pk.person_id = i.record_id AND pk.country_code = p_country))
      $$`);

    await q.query(`
      CREATE FUNCTION identifier_correlation_on_index() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        INSERT INTO identifier_correlation (case_id, country_code, match_key, kind, record_type, record_id, field)
        SELECT DISTINCT ON (k.case_id, n.request_id, n.match_key)
               k.case_id, n.holder_country, n.match_key, n.kind, 'request', n.request_id, n.field
          FROM (SELECT a.match_key, a.kind, a.holder_country, a.field,
                       CASE a.record_type WHEN 'request' THEN a.record_id
                            ELSE (SELECT t.request_id FROM asset_freeze_target t WHERE t.id = a.record_id) END AS request_id
                  FROM added a
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
      CREATE TRIGGER identifier_index_correlate AFTER INSERT ON identifier_index
        REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION identifier_correlation_on_index()`);
    // Persons travel with requests too: named in a request (visible to the target from `sent` on) or
    // found in an answer (visible to the origin at once). Their phones and passports are indexed for
    // their owner only, so the rows the person carries are matched for the country it reached, and the
    // record named is the request that brought it.
    await q.query(`
      CREATE FUNCTION identifier_correlate_request_persons(rid uuid, person_ids uuid[], side text)
        RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        INSERT INTO identifier_correlation (case_id, country_code, match_key, kind, record_type, record_id, field)
        SELECT DISTINCT ON (k.case_id, i.match_key)
               k.case_id, x.country, i.match_key, i.kind, 'request', r.id,
               CASE side WHEN 'target' THEN 'findings.persons.' ELSE 'persons.' END || i.field
          FROM cross_border_request r
         CROSS JOIN LATERAL (SELECT CASE side WHEN 'origin' THEN r.target_country ELSE r.origin_country END AS country) x
          JOIN identifier_index i ON i.record_type = 'person' AND i.record_id = ANY(person_ids)
         CROSS JOIN LATERAL identifier_case_carriers(i.match_key, x.country) k
         WHERE r.id = rid AND r.sent_at IS NOT NULL AND r.handling_code <> 'RED'
           AND k.case_id IS DISTINCT FROM r.case_id
           AND k.request_id IS DISTINCT FROM r.id
         ORDER BY k.case_id, i.match_key, i.field
        ON CONFLICT (case_id, record_type, record_id, match_key) DO NOTHING;
      END $fn$`);
    await q.query(`
      CREATE FUNCTION identifier_correlation_on_request_person() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        g record;
      BEGIN
        FOR g IN SELECT a.request_id, a.added_by_side, array_agg(a.person_id) AS persons
                   FROM added a GROUP BY a.request_id, a.added_by_side LOOP
          PERFORM identifier_correlate_request_persons(g.request_id, g.persons, g.added_by_side);
        END LOOP;
        RETURN NULL;
      END $fn$`);
    await q.query(`
      CREATE TRIGGER request_person_correlate AFTER INSERT ON request_person
        REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION identifier_correlation_on_request_person()`);
    await q.query(`
      CREATE FUNCTION identifier_correlation_on_request_sent() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM identifier_correlate_request_persons(NEW.id,
          ARRAY(SELECT rp.person_id FROM request_person rp WHERE rp.request_id = NEW.id AND rp.added_by_side = 'origin'),
          'origin');
        RETURN NULL;
      END $fn$`);
    await q.query(`
      CREATE TRIGGER cross_border_request_correlate_persons AFTER UPDATE OF sent_at ON cross_border_request
        FOR EACH ROW WHEN (OLD.sent_at IS NULL AND NEW.sent_at IS NOT NULL AND NEW.handling_code <> 'RED')
        EXECUTE FUNCTION identifier_correlation_on_request_sent()`);
    // And with shared cases: a case shared with a country shows it the case's persons, as does a person
    // linked into a case already shared. The record named is the shared case (by the share's reference).
    await q.query(`
      CREATE FUNCTION identifier_correlate_case_persons(cid uuid, person_ids uuid[], country char(2))
        RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        INSERT INTO identifier_correlation (case_id, country_code, match_key, kind, record_type, record_id, field)
        SELECT DISTINCT ON (k.case_id, i.match_key)
               k.case_id, country, i.match_key, i.kind, 'case', cid, 'persons.' || i.field
          FROM identifier_index i
         CROSS JOIN LATERAL identifier_case_carriers(i.match_key, country) k
         WHERE i.record_type = 'person' AND i.record_id = ANY(person_ids) AND k.case_id <> cid
         ORDER BY k.case_id, i.match_key, i.field
        ON CONFLICT (case_id, record_type, record_id, match_key) DO NOTHING;
      END $fn$`);
    await q.query(`
      CREATE FUNCTION identifier_correlation_on_case_share() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM identifier_correlate_case_persons(NEW.case_id,
          ARRAY(SELECT cp.person_id FROM case_person cp WHERE cp.case_id = NEW.case_id), NEW.country_code);
        RETURN NULL;
      END $fn$`);
    await q.query(`
      CREATE TRIGGER case_share_correlate AFTER INSERT ON case_share
        FOR EACH ROW WHEN (NEW.revoked_at IS NULL)
        EXECUTE FUNCTION identifier_correlation_on_case_share()`);
    await q.query(`
      CREATE FUNCTION identifier_correlation_on_case_person() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        g record;
      BEGIN
        FOR g IN SELECT a.case_id, s.country_code, array_agg(a.person_id) AS persons
                   FROM added a JOIN case_share s ON s.case_id = a.case_id AND s.revoked_at IS NULL
                  GROUP BY a.case_id, s.country_code LOOP
          PERFORM identifier_correlate_case_persons(g.case_id, g.persons, g.country_code);
        END LOOP;
        RETURN NULL;
      END $fn$`);
    await q.query(`
      CREATE TRIGGER case_person_correlate AFTER INSERT ON case_person
        REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION identifier_correlation_on_case_person()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER case_person_correlate ON case_person`);
    await q.query(`DROP FUNCTION identifier_correlation_on_case_person()`);
    await q.query(`DROP TRIGGER case_share_correlate ON case_share`);
    await q.query(`DROP FUNCTION identifier_correlation_on_case_share()`);
    await q.query(`DROP FUNCTION identifier_correlate_case_persons(uuid, uuid[], char)`);
    await q.query(`DROP TRIGGER cross_border_request_correlate_persons ON cross_border_request`);
    await q.query(`DROP FUNCTION identifier_correlation_on_request_sent()`);
    await q.query(`DROP TRIGGER request_person_correlate ON request_person`);
    await q.query(`DROP FUNCTION identifier_correlation_on_request_person()`);
    await q.query(`DROP FUNCTION identifier_correlate_request_persons(uuid, uuid[], text)`);
    await q.query(`DROP TRIGGER identifier_index_correlate ON identifier_index`);
    await q.query(`DROP FUNCTION identifier_correlation_on_index()`);
    await q.query(`DROP FUNCTION identifier_case_carriers(text, char)`);
    await q.query(`DROP TABLE identifier_correlation`);
  }
}
