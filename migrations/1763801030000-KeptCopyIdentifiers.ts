import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The numbers a kept copy holds (its phones and passports), keyed as `identifier_index` keys them, with
 * the time each was indexed on the person when the copy was taken: "seen in" answers a country that
 * keeps a copy from what the copy holds, also for a number the owner removed from the person later
 * (its index row is gone), and orders it as before (probe r10). Rows go with their copy. Copies taken
 * before this migration are keyed here; a number their person no longer carries has no time left
 * (NULL: read as of the person's arrival, `indexedAsRead`).
 */
export class KeptCopyIdentifiers1763801030000 implements MigrationInterface {
  name = 'KeptCopyIdentifiers1763801030000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE person_kept_identifier (
        person_id uuid NOT NULL,
        country_code char(2) NOT NULL,
        field text NOT NULL CHECK (field IN ('phones', 'documents')),
        match_key text NOT NULL,
        indexed_at timestamptz(3),
        PRIMARY KEY (person_id, country_code, field, match_key),
        FOREIGN KEY (person_id, country_code) REFERENCES person_kept_copy (person_id, country_code) ON DELETE CASCADE
      )`);
    await q.query(
      `CREATE INDEX person_kept_identifier_key ON person_kept_identifier (match_key, country_code)`,
    );
    await q.query(`
      INSERT INTO person_kept_identifier (person_id, country_code, field, match_key, indexed_at)
      SELECT k.person_id, k.country_code, x.field, x.key,
             (SELECT i.indexed_at FROM identifier_index i
               WHERE i.record_type = 'person' AND i.record_id = k.person_id AND i.field = x.field
                 AND i.match_key = x.key AND i.indexed_at <= k.kept_since)
        FROM person_kept_copy k
       CROSS JOIN LATERAL (
         SELECT 'phones' AS field, identifier_match_key('phone', NULL, ph) AS key FROM unnest(k.phones) ph
         UNION
         SELECT 'documents', identifier_match_key('passport', upper(d ->> 'issuingCountry'), d ->> 'number')
           FROM jsonb_array_elements(CASE WHEN jsonb_typeof(k.documents) = 'array' THEN k.documents ELSE '[]' END) d
          WHERE d ->> 'type' = 'passport' AND d ->> 'number' IS NOT NULL) x
       WHERE x.key IS NOT NULL AND x.key !~ ':$'
      ON CONFLICT DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE person_kept_identifier`);
  }
}
