import { MigrationInterface, QueryRunner } from 'typeorm';
import { nationalKeysOf } from '../src/sharing/identifier-keys';

/**
 * A consent to pass a phone on is recorded under both its keys, the international and the national one
 * (`phoneKeys`). Two phones of different countries may share the national key, and a consent counted
 * for every receipt of a key it names: consent to Cambodia's `+855 88 100 111` let Thailand's
 * `+66 88 100 111`, received under RED, go on written as `088-100-111` (probe r16). A grant under a national
 * key now names the number it was given for (`number_key`), and counts only for receipts holding that
 * number. Earlier grants are given theirs from the keys granted with them by the same consent.
 */
export class GrantNumberKeys1763801160000 implements MigrationInterface {
  name = 'GrantNumberKeys1763801160000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE release_grant ADD COLUMN number_key text`);
    const grants: Array<{ request_id: string; keys: string[] }> = await q.query(
      `SELECT request_id, array_agg(identifier) AS keys FROM release_grant
        WHERE identifier IS NOT NULL GROUP BY request_id`,
    );
    for (const { request_id, keys } of grants) {
      const named = new Set<string>();
      for (const [national, number] of nationalKeysOf(keys)) {
        // A national key consented for two numbers: a row for each.
        if (named.has(national))
          await q.query(
            `INSERT INTO release_grant (person_id, identifier, number_key, covers, holder_country, recipient_country,
                                        granted_by_country, request_id, granted_at)
             SELECT person_id, identifier, $3, covers, holder_country, recipient_country, granted_by_country,
                    request_id, granted_at
               FROM release_grant WHERE request_id = $1 AND identifier = $2 LIMIT 1`,
            [request_id, national, number],
          );
        else
          await q.query(
            `UPDATE release_grant SET number_key = $3 WHERE request_id = $1 AND identifier = $2`,
            [request_id, national, number],
          );
        named.add(national);
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE release_grant DROP COLUMN number_key`);
  }
}
