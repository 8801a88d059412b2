import { MigrationInterface, QueryRunner } from 'typeorm';

const CODE = `CHECK (handling_code IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'))`;
const KINDS = `('phone', 'bank_account', 'wallet', 'passport', 'compound', 'web')`;

/**
 * Identifiers as first-class data (issue 20, item 3): one `identifier_index` row per identifier a
 * record carries, per country that holds the record, saying whether that country holds it as its own
 * record or received it (and under which handling code, from whom).
 *
 * The rows are kept by triggers on the records themselves (persons, requests and their findings, freeze
 * targets, arrests), so every write path — today's services, the bulk imports, a request's move to
 * `sent`, a path added later — updates the index in its own transaction, and a write that fails leaves
 * the index as it was. The keys are computed by one SQL function (`identifier_match_key`) for stored
 * values and for the values a caller asks about alike (the app validates and brings input to the form
 * stored values have, `src/identifiers/identifier-normalise.ts`, then keys it here), so the two cannot
 * drift apart. `identifier_provenance_key` gives the `id:` key under which `identifier_provenance`
 * records receipts (`src/sharing/identifier-keys.ts`), for the handling-code rule of hit/no-hit checks.
 */
export class IdentifierIndex1763800070000 implements MigrationInterface {
  name = 'IdentifierIndex1763800070000';

  async up(q: QueryRunner): Promise<void> {
    // Web addresses: host in lower case without scheme, user, port and `www.`; path and query as written,
    // without a trailing slash or a fragment. A handle (`@name`) in lower case. (Expressions only, no FROM:
    // PostgreSQL then inlines these functions into the calling query.)
    await q.query(`
      CREATE FUNCTION identifier_web_address(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
      WHEN btrim(normalize(value, NFKC)) ~ '^@' THEN lower(regexp_replace(btrim(normalize(value, NFKC)), '#.*$', ''))
      ELSE lower(regexp_replace(regexp_replace(regexp_replace(btrim(normalize(value, NFKC)), '#.*$', ''),
                   '^(?:[A-Za-z][A-Za-z0-9+.-]*://)?(?:[^@/?]*@)?([^/:?]*)(?::[0-9]*)?(.*)$', '\\1'), '^www\\.', '', 'i'))
           || regexp_replace(regexp_replace(regexp_replace(btrim(normalize(value, NFKC)), '#.*$', ''),
                   '^(?:[A-Za-z][A-Za-z0-9+.-]*://)?(?:[^@/?]*@)?([^/:?]*)(?::[0-9]*)?(.*)$', '\\2'), '/+$', '')
    END
  $$`);
    // Wallet addresses without a URI scheme (`ethereum:`), query or spaces; hex (EVM) and bech32 addresses
    // are case-insensitive, so lower case; base58 addresses are case-sensitive, kept as written.
    await q.query(`
      CREATE FUNCTION identifier_wallet_bare(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT regexp_replace(regexp_replace(regexp_replace(normalize(value, NFKC), '\\s', '', 'g'),
             '^[A-Za-z][A-Za-z0-9+.-]*:(//)?', ''), '[?].*$', '')
  $$`);
    await q.query(`
      CREATE FUNCTION identifier_wallet_address(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN identifier_wallet_bare(value) ~* '^(0x[0-9a-f]{40}|(bc|tb|ltc)1[0-9a-z]+)$'
                THEN lower(identifier_wallet_bare(value)) ELSE identifier_wallet_bare(value) END
  $$`);
    // What a check compares. A bank account is its account number (bank names are free text here, and
    // "ABA" and "ABA Bank" are the same bank); a passport is its issuing country and number; a compound
    // is its name or place in lower case with punctuation and spacing folded.
    await q.query(`
      CREATE FUNCTION identifier_match_key(kind text, qualifier text, value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT kind || ':' || CASE kind
      WHEN 'phone' THEN '+' || regexp_replace(normalize(value, NFKC), '[^0-9]', '', 'g')
      WHEN 'bank_account' THEN upper(regexp_replace(normalize(value, NFKC), '[^A-Za-z0-9]', '', 'g'))
      WHEN 'wallet' THEN identifier_wallet_address(value)
      WHEN 'passport' THEN upper(btrim(coalesce(qualifier, ''))) || ':'
                           || upper(regexp_replace(normalize(value, NFKC), '[^A-Za-z0-9]', '', 'g'))
      WHEN 'compound' THEN btrim(regexp_replace(lower(normalize(value, NFKC)), '[\\s!-/:-@\\[-\`{-~]+', ' ', 'g'))
      WHEN 'web' THEN identifier_web_address(value)
    END
  $$`);
    // The key of `src/sharing/identifier-keys.ts` (phoneKey, accountKey, walletKey, documentKey, urlKey,
    // compoundKey) for the ASCII values records hold: how `identifier_provenance` names a receipt. Its
    // look-alike folding (`unhomoglyph`) turns, among upper-case ASCII letters and digits, exactly 0 into
    // O and 1 and I into L (checked over every string of up to three of them); a parity spec compares the
    // two (test/identifiers/identifier-index.e2e.ts).
    await q.query(`
      CREATE FUNCTION identifier_provenance_key(kind text, value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT 'id:' || translate(upper(regexp_replace(CASE kind
      WHEN 'phone' THEN regexp_replace(regexp_replace(normalize(value, NFKC), '[^0-9]', '', 'g'), '^00', '')
      WHEN 'wallet' THEN regexp_replace(regexp_replace(btrim(normalize(value, NFKC)), '^[A-Za-z][A-Za-z0-9+.-]*:', ''), '^0x', '', 'i')
      WHEN 'web' THEN identifier_web_address(value)
      ELSE normalize(value, NFKC)
    END, '[^A-Za-z0-9]', '', 'g')), '01I', 'OLL')
  $$`);
    await q.query(`
      CREATE TABLE identifier_index (
        id bigserial PRIMARY KEY,
        match_key text NOT NULL,
        kind text NOT NULL CHECK (kind IN ${KINDS}),
        -- The bank, chain or issuing country as the record names it.
        qualifier text,
        borrowed_name boolean,
        provenance_key text NOT NULL,
        holder_country char(2) NOT NULL,
        standing text NOT NULL CHECK (standing IN ('own', 'received')),
        handling_code text ${CODE},
        received_from char(2),
        record_type text NOT NULL CHECK (record_type IN ('person', 'request', 'asset_freeze_target', 'arrest')),
        record_id uuid NOT NULL,
        field text NOT NULL,
        indexed_at timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
        CHECK ((standing = 'received') = (handling_code IS NOT NULL AND received_from IS NOT NULL))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX identifier_index_row ON identifier_index (record_type, record_id, holder_country, field, match_key)`,
    );
    await q.query(`CREATE INDEX identifier_index_key ON identifier_index (match_key, holder_country)`);

    // One identifier a record carries, before keying.
    await q.query(`
      CREATE TYPE identifier_index_entry AS (
  kind text, qualifier text, value text, borrowed_name boolean, holder_country char(2),
  standing text, handling_code text, received_from char(2), field text)`);
    // What a record carries now, by record type; plpgsql so that each branch's plan is prepared once per
    // session (a trigger runs this for every row written). Request payload identifiers are the origin's own
    // and reach the target from `sent` on; findings are the target's own and reach the origin.
    await q.query(`
      CREATE FUNCTION identifier_index_entries(rtype text, rid uuid) RETURNS identifier_index_entry[]
  LANGUAGE plpgsql STABLE AS $fn$
  DECLARE
    found identifier_index_entry[];
  BEGIN
    IF rtype = 'person' THEN
      SELECT array_agg(e) INTO found FROM (
        SELECT 'phone', NULL, ph, NULL::boolean, p.owner_country, 'own', NULL, NULL::char(2), 'phones'
          FROM person p, unnest(p.phones) AS ph WHERE p.id = rid
        UNION ALL
        SELECT 'passport', upper(d ->> 'issuingCountry'), d ->> 'number', NULL, p.owner_country, 'own', NULL, NULL, 'documents'
          FROM person p, jsonb_array_elements(CASE WHEN jsonb_typeof(p.documents) = 'array' THEN p.documents ELSE '[]' END) AS d
         WHERE p.id = rid AND d ->> 'type' = 'passport') AS e;
    ELSIF rtype = 'request' THEN
      SELECT array_agg(e) INTO found FROM (
        SELECT CASE l.k WHEN 'phones' THEN 'phone' WHEN 'bankAccounts' THEN 'bank_account'
                        WHEN 'cryptoAddresses' THEN 'wallet' WHEN 'urls' THEN 'web' ELSE 'compound' END,
               CASE l.k WHEN 'bankAccounts' THEN v ->> 'institution' WHEN 'cryptoAddresses' THEN v ->> 'chain' END,
               CASE l.k WHEN 'bankAccounts' THEN v ->> 'accountNumber' WHEN 'cryptoAddresses' THEN v ->> 'address'
                        ELSE CASE WHEN jsonb_typeof(v) = 'string' THEN v #>> '{}' END END,
               NULL::boolean, s.holder, s.standing, s.code, s.source, s.prefix || l.k
          FROM cross_border_request r
         CROSS JOIN LATERAL (VALUES
                (r.payload -> 'identifiers', r.origin_country, 'own', NULL, NULL::char(2), 'identifiers.', true),
                (r.payload -> 'identifiers', r.target_country, 'received', r.handling_code, r.origin_country, 'identifiers.', r.sent_at IS NOT NULL),
                (r.outcome -> 'identifiers', r.target_country, 'own', NULL, NULL, 'findings.identifiers.', true),
                (r.outcome -> 'identifiers', r.origin_country, 'received', r.handling_code, r.target_country, 'findings.identifiers.', true)
              ) AS s(ids, holder, standing, code, source, prefix, applies)
         CROSS JOIN LATERAL unnest(ARRAY['phones', 'bankAccounts', 'cryptoAddresses', 'urls', 'compounds']) AS l(k)
         CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(s.ids -> l.k) = 'array' THEN s.ids -> l.k ELSE '[]' END) AS v
         WHERE r.id = rid AND s.applies AND jsonb_typeof(s.ids) = 'object') AS e;
    ELSIF rtype = 'asset_freeze_target' THEN
      SELECT array_agg(e) INTO found FROM (
        SELECT CASE t.target_type WHEN 'bank_account' THEN 'bank_account' ELSE 'wallet' END,
               CASE t.target_type WHEN 'bank_account' THEN coalesce(t.institution_code, t.institution_name) ELSE t.chain END,
               CASE t.target_type WHEN 'bank_account' THEN t.account_number ELSE t.address END,
               t.borrowed_name, s.holder, s.standing, s.code, s.source, 'target'
          FROM asset_freeze_target t JOIN cross_border_request r ON r.id = t.request_id
         CROSS JOIN LATERAL (VALUES (r.origin_country, 'own', NULL, NULL::char(2), true),
                                    (r.target_country, 'received', r.handling_code, r.origin_country, r.sent_at IS NOT NULL)
              ) AS s(holder, standing, code, source, applies)
         WHERE t.id = rid AND s.applies) AS e;
    ELSIF rtype = 'arrest' THEN
      SELECT array_agg(e) INTO found FROM (
        SELECT 'compound', NULL, a.place, NULL::boolean, a.arresting_country, 'own', NULL, NULL::char(2), 'place'
          FROM arrest a WHERE a.id = rid) AS e;
    END IF;
    RETURN coalesce(found, '{}');
  END $fn$`);
    // Brings a record's rows to what it carries now. A row that stays keeps the time it was first
    // indexed: the hit rule compares it with when the holder received the identifier.
    await q.query(`
      CREATE FUNCTION identifier_index_sync(rtype text, rid uuid) RETURNS void LANGUAGE plpgsql AS $fn$
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
           identifier_provenance_key(e.kind, e.value), e.holder_country, e.standing, e.handling_code,
           e.received_from, rtype, rid, e.field
      FROM unnest(entries) e
     CROSS JOIN LATERAL (SELECT identifier_match_key(e.kind, e.qualifier, e.value) AS key) k
     WHERE e.value IS NOT NULL AND e.holder_country IS NOT NULL AND k.key IS NOT NULL
       AND k.key !~ ':$' AND length(k.key) <= 600
     ORDER BY e.holder_country, e.field, k.key
    ON CONFLICT (record_type, record_id, holder_country, field, match_key) DO UPDATE
      SET qualifier = EXCLUDED.qualifier, borrowed_name = EXCLUDED.borrowed_name, standing = EXCLUDED.standing,
          handling_code = EXCLUDED.handling_code, received_from = EXCLUDED.received_from
     WHERE (i.qualifier, i.borrowed_name, i.standing, i.handling_code, i.received_from)
           IS DISTINCT FROM (EXCLUDED.qualifier, EXCLUDED.borrowed_name, EXCLUDED.standing,
                             EXCLUDED.handling_code, EXCLUDED.received_from);
  END $fn$`);
    await q.query(`
      CREATE FUNCTION identifier_index_on_change() RETURNS trigger LANGUAGE plpgsql AS $$
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
    // Per table: which columns carry identifiers (an update that leaves them alone — a status change,
    // an amount frozen — costs nothing), and whether a new row can carry any.
    const triggers: Array<{ table: string; type: string; columns: string[]; carries: string }> = [
      {
        table: 'person',
        type: 'person',
        columns: ['phones', 'documents', 'owner_country'],
        carries: `cardinality(NEW.phones) > 0 OR NEW.documents <> '[]'::jsonb`,
      },
      {
        table: 'cross_border_request',
        type: 'request',
        columns: ['payload', 'outcome', 'sent_at', 'origin_country', 'target_country', 'handling_code'],
        carries: `NEW.payload ? 'identifiers' OR coalesce(NEW.outcome ? 'identifiers', false)`,
      },
      {
        table: 'asset_freeze_target',
        type: 'asset_freeze_target',
        columns: [
          'target_type',
          'institution_code',
          'institution_name',
          'account_number',
          'borrowed_name',
          'chain',
          'address',
          'request_id',
        ],
        carries: 'true',
      },
      { table: 'arrest', type: 'arrest', columns: ['place', 'arresting_country'], carries: 'true' },
    ];
    for (const { table, type, columns, carries } of triggers) {
      const changed = columns.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ');
      await q.query(`
        CREATE TRIGGER ${table}_identifier_index_insert AFTER INSERT ON ${table}
          FOR EACH ROW WHEN (${carries}) EXECUTE FUNCTION identifier_index_on_change('${type}')`);
      await q.query(`
        CREATE TRIGGER ${table}_identifier_index_update AFTER UPDATE ON ${table}
          FOR EACH ROW WHEN (${changed}) EXECUTE FUNCTION identifier_index_on_change('${type}')`);
      await q.query(`
        CREATE TRIGGER ${table}_identifier_index_delete AFTER DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION identifier_index_on_change('${type}')`);
    }

    // What is there already.
    for (const { table, type } of triggers)
      await q.query(`SELECT identifier_index_sync('${type}', id) FROM ${table}`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['person', 'cross_border_request', 'asset_freeze_target', 'arrest'])
      for (const event of ['insert', 'update', 'delete'])
        await q.query(`DROP TRIGGER ${table}_identifier_index_${event} ON ${table}`);
    await q.query(`DROP FUNCTION identifier_index_on_change()`);
    await q.query(`DROP FUNCTION identifier_index_sync(text, uuid)`);
    await q.query(`DROP FUNCTION identifier_index_entries(text, uuid)`);
    await q.query(`DROP TYPE identifier_index_entry`);
    await q.query(`DROP TABLE identifier_index`);
    await q.query(`DROP FUNCTION identifier_provenance_key(text, text)`);
    await q.query(`DROP FUNCTION identifier_match_key(text, text, text)`);
    await q.query(`DROP FUNCTION identifier_wallet_address(text)`);
    await q.query(`DROP FUNCTION identifier_wallet_bare(text)`);
    await q.query(`DROP FUNCTION identifier_web_address(text)`);
  }
}
