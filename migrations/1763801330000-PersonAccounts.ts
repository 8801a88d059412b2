import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A person's accounts: the bank accounts (often held in a borrowed name) and crypto wallets known to be
 * the person's, shaped as an asset-freeze target's (`person.accounts`), with their compared forms
 * (`account_numbers`, for search). They are identifiers like the person's phones, and travel the same
 * ways:
 * - a kept copy keeps them as received (`person_kept_copy.accounts`, `account_numbers`) and its index
 *   rows (`person_kept_identifier`, field `accounts`);
 * - the identifier index carries them for the person's owner (kinds `bank_account` and `wallet`, field
 *   `accounts`), as it carries its phones: "seen in", identifier checks and correlation alerts read
 *   them under the same scopes. `identifier_index_entries` is redefined with its full body (as of
 *   1763800070000, the last to define it) plus the accounts, and the person triggers watch the column.
 * Existing persons and copies have none.
 */
export class PersonAccounts1763801330000 implements MigrationInterface {
  name = 'PersonAccounts1763801330000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE person ADD COLUMN accounts jsonb NOT NULL DEFAULT '[]',
                                      ADD COLUMN account_numbers text[] NOT NULL DEFAULT '{}'`);
    await q.query(`CREATE INDEX person_account_numbers ON person USING gin (account_numbers)`);
    await q.query(`ALTER TABLE person_kept_copy ADD COLUMN accounts jsonb NOT NULL DEFAULT '[]',
                                                ADD COLUMN account_numbers text[] NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE person_kept_identifier DROP CONSTRAINT person_kept_identifier_field_check`);
    await q.query(`ALTER TABLE person_kept_identifier ADD CONSTRAINT person_kept_identifier_field_check
                     CHECK (field IN ('phones', 'documents', 'accounts'))`);
    await q.query(ENTRIES_WITH_ACCOUNTS);
    await personTriggers(
      q,
      ['phones', 'documents', 'accounts', 'owner_country'],
      `cardinality(NEW.phones) > 0 OR NEW.documents <> '[]'::jsonb OR NEW.accounts <> '[]'::jsonb`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await personTriggers(
      q,
      ['phones', 'documents', 'owner_country'],
      `cardinality(NEW.phones) > 0 OR NEW.documents <> '[]'::jsonb`,
    );
    await q.query(ENTRIES_BEFORE);
    await q.query(`DELETE FROM identifier_index WHERE record_type = 'person' AND field = 'accounts'`);
    await q.query(`DELETE FROM person_kept_identifier WHERE field = 'accounts'`);
    await q.query(`ALTER TABLE person_kept_identifier DROP CONSTRAINT person_kept_identifier_field_check`);
    await q.query(`ALTER TABLE person_kept_identifier ADD CONSTRAINT person_kept_identifier_field_check
                     CHECK (field IN ('phones', 'documents'))`);
    await q.query(`ALTER TABLE person_kept_copy DROP COLUMN accounts, DROP COLUMN account_numbers`);
    await q.query(`DROP INDEX person_account_numbers`);
    await q.query(`ALTER TABLE person DROP COLUMN accounts, DROP COLUMN account_numbers`);
  }
}

/** The person's identifier index triggers (as 1763800070000 made them), watching `columns`. */
async function personTriggers(q: QueryRunner, columns: string[], carries: string): Promise<void> {
  const changed = columns.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ');
  await q.query(`DROP TRIGGER person_identifier_index_insert ON person`);
  await q.query(`DROP TRIGGER person_identifier_index_update ON person`);
  await q.query(`
    CREATE TRIGGER person_identifier_index_insert AFTER INSERT ON person
      FOR EACH ROW WHEN (${carries}) EXECUTE FUNCTION identifier_index_on_change('person')`);
  await q.query(`
    CREATE TRIGGER person_identifier_index_update AFTER UPDATE ON person
      FOR EACH ROW WHEN (${changed}) EXECUTE FUNCTION identifier_index_on_change('person')`);
}

/** `identifier_index_entries` as 1763800070000 defined it. */
const ENTRIES_BEFORE = `
      CREATE OR REPLACE FUNCTION identifier_index_entries(rtype text, rid uuid) RETURNS identifier_index_entry[]
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
  END $fn$`;

/** The same, with a person's accounts (field `accounts`; bank: its name as qualifier, wallet: its chain). */
const ENTRIES_WITH_ACCOUNTS = `
      CREATE OR REPLACE FUNCTION identifier_index_entries(rtype text, rid uuid) RETURNS identifier_index_entry[]
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
         WHERE p.id = rid AND d ->> 'type' = 'passport'
        UNION ALL
        SELECT CASE a ->> 'type' WHEN 'bank_account' THEN 'bank_account' ELSE 'wallet' END,
               CASE a ->> 'type' WHEN 'bank_account' THEN a ->> 'institutionName' ELSE a ->> 'chain' END,
               CASE a ->> 'type' WHEN 'bank_account' THEN a ->> 'accountNumber' ELSE a ->> 'address' END,
               CASE WHEN jsonb_typeof(a -> 'borrowedName') = 'boolean' THEN (a ->> 'borrowedName')::boolean END,
               p.owner_country, 'own', NULL, NULL, 'accounts'
          FROM person p, jsonb_array_elements(CASE WHEN jsonb_typeof(p.accounts) = 'array' THEN p.accounts ELSE '[]' END) AS a
         WHERE p.id = rid AND a ->> 'type' IN ('bank_account', 'crypto_wallet')) AS e;
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
  END $fn$`;
