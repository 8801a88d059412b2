import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 21, the create path: less database work for a row that is brand new (measured with
 * `npm run bench:create-cost`, bench/README.md "Session 11: create path").
 *
 * - A new record's identifiers are indexed by a plain INSERT. The row's id is new, so it has no index
 *   rows to delete or update: `identifier_index_sync`'s DELETE (an index probe) and its
 *   `ON CONFLICT DO UPDATE` (a speculative insertion: one more WAL record per row, its confirmation)
 *   did nothing for it. An UPDATE or DELETE of the record still syncs as before.
 * - The correlation trigger on `identifier_index` returns at once when no added row can correlate
 *   (only rows a country newly holds as `received`, not under RED, of a request or freeze target can):
 *   a draft's identifiers are the origin's own.
 * - A request's reference is unique among the requests that have one: a draft has none (it is given at
 *   `approve`), so the unique index no longer takes an entry for every draft's NULL.
 */
export class DraftCreateWrites1763800180000 implements MigrationInterface {
  name = 'DraftCreateWrites1763800180000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION identifier_index_insert(rtype text, rid uuid) RETURNS void LANGUAGE plpgsql AS $fn$
  BEGIN
    INSERT INTO identifier_index (match_key, kind, qualifier, borrowed_name, provenance_key, holder_country,
                                  standing, handling_code, received_from, record_type, record_id, field)
    SELECT DISTINCT ON (e.holder_country, e.field, k.key) k.key, e.kind, e.qualifier, e.borrowed_name,
           identifier_provenance_key(e.kind, e.value), e.holder_country, e.standing, e.handling_code,
           e.received_from, rtype, rid, e.field
      FROM unnest(identifier_index_entries(rtype, rid)) e
     CROSS JOIN LATERAL (SELECT identifier_match_key(e.kind, e.qualifier, e.value) AS key) k
     WHERE e.value IS NOT NULL AND e.holder_country IS NOT NULL AND k.key IS NOT NULL
       AND k.key !~ ':$' AND length(k.key) <= 600
     ORDER BY e.holder_country, e.field, k.key;
  END $fn$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION identifier_index_on_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        rid uuid := CASE TG_OP WHEN 'DELETE' THEN OLD.id ELSE NEW.id END;
        t uuid;
      BEGIN
        -- A new record has no index rows yet: nothing to delete or update, a plain INSERT.
        IF TG_OP = 'INSERT' THEN
          PERFORM identifier_index_insert(TG_ARGV[0], rid);
          RETURN NULL;
        END IF;
        PERFORM identifier_index_sync(TG_ARGV[0], rid);
        -- A request's freeze targets reach its target when it is sent, under its code.
        IF TG_ARGV[0] = 'request' AND TG_OP = 'UPDATE' THEN
          FOR t IN SELECT id FROM asset_freeze_target WHERE request_id = rid LOOP
            PERFORM identifier_index_sync('asset_freeze_target', t);
          END LOOP;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(correlationOnIndex(true));
    await q.query(`ALTER TABLE cross_border_request DROP CONSTRAINT cross_border_request_reference_key`);
    await q.query(
      `CREATE UNIQUE INDEX cross_border_request_reference_key ON cross_border_request (reference) WHERE reference IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX cross_border_request_reference_key`);
    await q.query(
      `ALTER TABLE cross_border_request ADD CONSTRAINT cross_border_request_reference_key UNIQUE (reference)`,
    );
    await q.query(correlationOnIndex(false));
    await q.query(`
      CREATE OR REPLACE FUNCTION identifier_index_on_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        rid uuid := CASE TG_OP WHEN 'DELETE' THEN OLD.id ELSE NEW.id END;
        t uuid;
      BEGIN
        PERFORM identifier_index_sync(TG_ARGV[0], rid);
        -- A request's freeze targets reach its target when it is sent, under its code.
        IF TG_ARGV[0] = 'request' AND TG_OP = 'UPDATE' THEN
          FOR t IN SELECT id FROM asset_freeze_target WHERE request_id = rid LOOP
            PERFORM identifier_index_sync('asset_freeze_target', t);
          END LOOP;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`DROP FUNCTION identifier_index_insert(text, uuid)`);
  }
}

/** Migration 1763800080000's function, with (`earlyReturn`) or without the early return. */
function correlationOnIndex(earlyReturn: boolean): string {
  const candidates = `a.standing = 'received' AND a.handling_code <> 'RED'
                   AND a.record_type IN ('request', 'asset_freeze_target')`;
  return `
      CREATE OR REPLACE FUNCTION identifier_correlation_on_index() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        ${
          earlyReturn
            ? `-- Only an identifier a country newly holds as received can correlate (a draft's are its own).
        IF NOT EXISTS (SELECT 1 FROM added a WHERE ${candidates}) THEN
          RETURN NULL;
        END IF;`
            : ''
        }
        INSERT INTO identifier_correlation (case_id, country_code, match_key, kind, record_type, record_id, field)
        SELECT DISTINCT ON (k.case_id, n.request_id, n.match_key)
               k.case_id, n.holder_country, n.match_key, n.kind, 'request', n.request_id, n.field
          FROM (SELECT a.match_key, a.kind, a.holder_country, a.field,
                       CASE a.record_type WHEN 'request' THEN a.record_id
                            ELSE (SELECT t.request_id FROM asset_freeze_target t WHERE t.id = a.record_id) END AS request_id
                  FROM added a
                 WHERE ${candidates}) n
          JOIN cross_border_request s ON s.id = n.request_id
         CROSS JOIN LATERAL identifier_case_carriers(n.match_key, n.holder_country) k
         WHERE k.case_id IS DISTINCT FROM s.case_id
           AND k.request_id IS DISTINCT FROM n.request_id
         ORDER BY k.case_id, n.request_id, n.match_key, n.field
        ON CONFLICT (case_id, record_type, record_id, match_key) DO NOTHING;
        RETURN NULL;
      END $fn$`;
}
