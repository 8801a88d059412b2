import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Probe r9: a hit/no-hit check answered "hit" to a third country for a compound name in Khmer script
 * that the partner held only because another country gave it under AMBER+STRICT or RED.
 * `IdentifierCheckStore.hits` finds the partner's receipts of an identifier in `identifier_provenance`
 * under the index row's `provenance_key`. Receipts are recorded under the keys of
 * `src/sharing/identifier-keys.ts` (NFKC, unseen characters dropped, digits of every script as ASCII,
 * look-alike letters as the letters they imitate, letters and digits of every script kept), while
 * `identifier_provenance_key` kept only `[A-Za-z0-9]`: a Khmer, Thai, Han or Hangul name was keyed `id:`,
 * a Cyrillic look-alike lost its letter, Arabic-Indic digits were dropped. No receipt matched, and the
 * holding counted as the partner's own.
 *
 * `identifier_provenance_key` now answers a key only for values it folds exactly as the TypeScript does
 * (checked by test/identifiers/identifier-index.e2e.ts), and NULL for any other:
 * - any character outside printable ASCII;
 * - `%` or `|` outside a phone (the look-alike skeleton turns `|` into `l` and `%` into `º/₀`, which the
 *   SQL fold drops);
 * - a web address other than a plain `http(s)://host/path?query` of letters, digits, `-`, `_`, `~`, `=`
 *   and `&` whose last host label starts with a letter (the TypeScript key reads it with the WHATWG URL
 *   parser, which encodes, resolves dot segments and reads numeric hosts as IPv4 addresses).
 * A NULL key is never taken as "no receipt": `hits` reads such a row's raw value back from its record and
 * keys it with the same functions receipts were recorded with (`receiptKeysOf`).
 *
 * An index row stands for every entry of its record that keys to it (same holder, field and match key);
 * entries with different provenance keys (two raw values, one match key) give the row NULL too, and an
 * entry changed under the same match key now updates the row's key (`identifier_index_sync`). Every
 * existing row's key is computed again from its record.
 */
export class FaithfulProvenanceKeys1763800870000 implements MigrationInterface {
  name = 'FaithfulProvenanceKeys1763800870000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE identifier_index ALTER COLUMN provenance_key DROP NOT NULL`);
    await q.query(provenanceKeyFunction(true));
    await q.query(indexInsertFunction(true));
    await q.query(indexSyncFunction(true));
    await q.query(recomputeKeys(true));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(provenanceKeyFunction(false));
    await q.query(indexInsertFunction(false));
    await q.query(indexSyncFunction(false));
    await q.query(recomputeKeys(false));
    // A row no entry keys to any more (none is expected) cannot be recomputed: its key stays a key.
    await q.query(`UPDATE identifier_index SET provenance_key = 'id:' WHERE provenance_key IS NULL`);
    await q.query(`ALTER TABLE identifier_index ALTER COLUMN provenance_key SET NOT NULL`);
  }
}

/** The fold both versions share: `[A-Za-z0-9]` after the kind's own stripping, upper case, 0 → O, 1 and I → L. */
const ASCII_FOLD = `'id:' || translate(upper(regexp_replace(CASE kind
      WHEN 'phone' THEN regexp_replace(regexp_replace(normalize(value, NFKC), '[^0-9]', '', 'g'), '^00', '')
      WHEN 'wallet' THEN regexp_replace(regexp_replace(btrim(normalize(value, NFKC)), '^[A-Za-z][A-Za-z0-9+.-]*:', ''), '^0x', '', 'i')
      WHEN 'web' THEN identifier_web_address(value)
      ELSE normalize(value, NFKC)
    END, '[^A-Za-z0-9]', '', 'g')), '01I', 'OLL')`;

/** A web address the SQL and the WHATWG URL parser read alike (matched case-insensitively). */
const PLAIN_WEB_ADDRESS = `^(https?://)?([a-z0-9-]+\\.)*[a-z][a-z0-9-]*(/[a-z0-9_~-]+)*/?(\\?[a-z0-9_=&~-]*)?$`;

function provenanceKeyFunction(faithful: boolean): string {
  return `
      CREATE OR REPLACE FUNCTION identifier_provenance_key(kind text, value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ${
      faithful
        ? `CASE WHEN value ~ '[^ -~]' OR (kind <> 'phone' AND value ~ '[%|]')
                     OR (kind = 'web' AND value !~* '${PLAIN_WEB_ADDRESS}') THEN NULL
                ELSE ${ASCII_FOLD} END`
        : ASCII_FOLD
    }
  $$`;
}

/**
 * The provenance key of an index row: with `faithful`, the one key every entry keying to the row has
 * (NULL if one has none or two differ); before, the first entry's. `w` partitions entries by row.
 */
const rowProvenanceKey = (faithful: boolean) =>
  faithful
    ? `CASE WHEN count(k.pk) OVER w = count(*) OVER w AND min(k.pk) OVER w = max(k.pk) OVER w
            THEN min(k.pk) OVER w END`
    : 'k.pk';

function indexInsertFunction(faithful: boolean): string {
  return `
      CREATE OR REPLACE FUNCTION identifier_index_insert(rtype text, rid uuid) RETURNS void LANGUAGE plpgsql AS $fn$
  BEGIN
    INSERT INTO identifier_index (match_key, kind, qualifier, borrowed_name, provenance_key, holder_country,
                                  standing, handling_code, received_from, record_type, record_id, field)
    SELECT DISTINCT ON (e.holder_country, e.field, k.key) k.key, e.kind, e.qualifier, e.borrowed_name,
           ${rowProvenanceKey(faithful)}, e.holder_country, e.standing, e.handling_code,
           e.received_from, rtype, rid, e.field
      FROM unnest(identifier_index_entries(rtype, rid)) e
     CROSS JOIN LATERAL (SELECT identifier_match_key(e.kind, e.qualifier, e.value) AS key,
                                identifier_provenance_key(e.kind, e.value) AS pk) k
     WHERE e.value IS NOT NULL AND e.holder_country IS NOT NULL AND k.key IS NOT NULL
       AND k.key !~ ':$' AND length(k.key) <= 600
    ${faithful ? 'WINDOW w AS (PARTITION BY e.holder_country, e.field, k.key)' : ''}
     ORDER BY e.holder_country, e.field, k.key;
  END $fn$`;
}

function indexSyncFunction(faithful: boolean): string {
  const compared = faithful
    ? `(i.qualifier, i.borrowed_name, i.standing, i.handling_code, i.received_from, i.provenance_key)
           IS DISTINCT FROM (EXCLUDED.qualifier, EXCLUDED.borrowed_name, EXCLUDED.standing,
                             EXCLUDED.handling_code, EXCLUDED.received_from, EXCLUDED.provenance_key)`
    : `(i.qualifier, i.borrowed_name, i.standing, i.handling_code, i.received_from)
           IS DISTINCT FROM (EXCLUDED.qualifier, EXCLUDED.borrowed_name, EXCLUDED.standing,
                             EXCLUDED.handling_code, EXCLUDED.received_from)`;
  return `
      CREATE OR REPLACE FUNCTION identifier_index_sync(rtype text, rid uuid) RETURNS void LANGUAGE plpgsql AS $fn$
  DECLARE
    entries identifier_index_entry[] := identifier_index_entries(rtype, rid);
  BEGIN
    DELETE FROM identifier_index i
     WHERE i.record_type = rtype AND i.record_id = rid
       AND NOT EXISTS (SELECT 1 FROM unnest(entries) e
                        WHERE e.holder_country = i.holder_country AND e.field = i.field
                          AND identifier_match_key(e.kind, e.qualifier, e.value) = i.match_key);
    IF cardinality(entries) = 0 THEN RETURN; END IF;
    INSERT INTO identifier_index AS i (match_key, kind, qualifier, borrowed_name, provenance_key, holder_country,
                                       standing, handling_code, received_from, record_type, record_id, field)
    SELECT DISTINCT ON (e.holder_country, e.field, k.key) k.key, e.kind, e.qualifier, e.borrowed_name,
           ${rowProvenanceKey(faithful)}, e.holder_country, e.standing, e.handling_code,
           e.received_from, rtype, rid, e.field
      FROM unnest(entries) e
     CROSS JOIN LATERAL (SELECT identifier_match_key(e.kind, e.qualifier, e.value) AS key,
                                identifier_provenance_key(e.kind, e.value) AS pk) k
     WHERE e.value IS NOT NULL AND e.holder_country IS NOT NULL AND k.key IS NOT NULL
       AND k.key !~ ':$' AND length(k.key) <= 600
    ${faithful ? 'WINDOW w AS (PARTITION BY e.holder_country, e.field, k.key)' : ''}
     ORDER BY e.holder_country, e.field, k.key
    ON CONFLICT (record_type, record_id, holder_country, field, match_key) DO UPDATE
      SET qualifier = EXCLUDED.qualifier, borrowed_name = EXCLUDED.borrowed_name, standing = EXCLUDED.standing,
          handling_code = EXCLUDED.handling_code, received_from = EXCLUDED.received_from${
            faithful ? ', provenance_key = EXCLUDED.provenance_key' : ''
          }
     WHERE ${compared};
  END $fn$`;
}

/** Every row's provenance key from the entries its record holds now, by the function as it now is. */
function recomputeKeys(faithful: boolean): string {
  return `
    UPDATE identifier_index i SET provenance_key = n.pk
      FROM (SELECT r.record_type, r.record_id, e.holder_country, e.field, k.key,
                   ${
                     faithful
                       ? 'CASE WHEN count(k.pk) = count(*) AND min(k.pk) = max(k.pk) THEN min(k.pk) END'
                       : 'min(k.pk)'
                   } AS pk
              FROM (SELECT DISTINCT record_type, record_id FROM identifier_index) r
             CROSS JOIN LATERAL unnest(identifier_index_entries(r.record_type, r.record_id)) e
             CROSS JOIN LATERAL (SELECT identifier_match_key(e.kind, e.qualifier, e.value) AS key,
                                        identifier_provenance_key(e.kind, e.value) AS pk) k
             WHERE e.value IS NOT NULL AND e.holder_country IS NOT NULL AND k.key IS NOT NULL
             GROUP BY 1, 2, 3, 4, 5) n
     WHERE i.record_type = n.record_type AND i.record_id = n.record_id AND i.holder_country = n.holder_country
       AND i.field = n.field AND i.match_key = n.key AND i.provenance_key IS DISTINCT FROM n.pk`;
}
