import { MigrationInterface, QueryRunner } from 'typeorm';
import { foldIdentifier } from '../src/sharing/identifier-keys';

/**
 * Session 14 changed how a number is folded to its key: characters that render as nothing (Hangul
 * fillers, zero-width and other default-ignorable code points, combining marks) are dropped, and Han
 * numerals read as digits. A number received before that with such characters in it was recorded in
 * `identifier_provenance` under the old key (`id:123ㅤ456`), which the number written plainly
 * (`id:123456`) no longer meets: the holder could pass on, written plainly, a number it received under
 * AMBER. Each such receipt gets a twin under the key folded today (the old row stays: an extra key can
 * only refuse more). Every key is `id:` and a folded value, and folding a folded value again gives what
 * folding the original gives today, so the stored key is enough to refold.
 *
 * `down` leaves the twins: removing them could release what was received.
 */
export class RefoldReceivedIdentifierKeys1763800810000 implements MigrationInterface {
  name = 'RefoldReceivedIdentifierKeys1763800810000';

  async up(q: QueryRunner): Promise<void> {
    // Only keys outside printable ASCII can fold differently today (the ASCII path did not change).
    const keys: Array<{ identifier: string }> = await q.query(
      `SELECT DISTINCT identifier FROM identifier_provenance WHERE identifier ~ '[^ -~]'`,
    );
    const refolded = keys
      .filter((k) => k.identifier.startsWith('id:'))
      .map((k) => ({ old: k.identifier, now: `id:${foldIdentifier(k.identifier.slice(3))}` }))
      .filter((k) => k.now !== k.old && k.now !== 'id:');
    if (!refolded.length) return;
    await q.query(
      `INSERT INTO identifier_provenance (identifier, receiving_country, released_by_country, originator_country,
                                          handling_code, via_type, via_id, released_by, released_at)
       SELECT k.now, ip.receiving_country, ip.released_by_country, ip.originator_country,
              ip.handling_code, ip.via_type, ip.via_id, ip.released_by, ip.released_at
         FROM jsonb_to_recordset($1::jsonb) AS k(old text, now text)
         JOIN identifier_provenance ip ON ip.identifier = k.old
        WHERE NOT EXISTS (SELECT 1 FROM identifier_provenance t
                           WHERE t.identifier = k.now AND t.receiving_country = ip.receiving_country
                             AND t.released_by_country = ip.released_by_country
                             AND t.originator_country = ip.originator_country
                             AND t.handling_code = ip.handling_code AND t.via_type = ip.via_type
                             AND t.via_id = ip.via_id)`,
      [JSON.stringify(refolded)],
    );
  }

  async down(): Promise<void> {
    // The twins stay (see above).
  }
}
