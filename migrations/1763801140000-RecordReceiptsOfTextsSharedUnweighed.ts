import { MigrationInterface, QueryRunner } from 'typeorm';
import type { HandlingCode } from '../src/sharing/handling-code';
import { looser, stricter } from '../src/sharing/handling-rule';
import { numbersIn } from '../src/sharing/identifier-keys';

/**
 * Until sessions 21 and 22, a share of a case or an arrest did not weigh the texts written on it before
 * the share that the new country reads with it: the names and withdrawal reasons of the record's files
 * and of its persons' own files, and an arrest's custody reasons. A number in them that the sharing
 * country had received from another went to the new country unweighed, and nothing recorded that the
 * new country now held it, so the release rule let that country pass it on as its own.
 *
 * What the new country read cannot be taken back; this records it, so the number goes no further: for
 * every share (revoked ones too — the country keeps what it read), each number in such a text written
 * before the share (an arrest's step and withdrawal reasons only where the country was told of them)
 * that the sharing country held from a third country then gets a receipt for the new country, from that
 * originator, by the share, at the share's time, under the stricter of the share's code and the loosest
 * code the holder held it under — what the share would have carried had it been allowed, and where it
 * would have been refused (AMBER), a receipt under which the country cannot pass it on. A receipt the
 * country already has for the number by the same share is left as it is (new code recorded it).
 *
 * `down` deletes nothing: a receipt recorded here cannot be told from one the code records since.
 */
export class RecordReceiptsOfTextsSharedUnweighed1763801140000 implements MigrationInterface {
  name = 'RecordReceiptsOfTextsSharedUnweighed1763801140000';

  async up(q: QueryRunner): Promise<void> {
    const shares: Share[] = await q.query(`${CASE_SHARE_TEXTS} UNION ALL ${ARREST_SHARE_TEXTS}`);
    for (const share of shares) await recordFor(q, share);
  }

  async down(): Promise<void> {
    // Nothing to undo safely: see the class comment.
  }
}

interface Share {
  via_type: 'case' | 'arrest';
  via_id: string;
  holder: string;
  recipient: string;
  code: HandlingCode;
  shared_by: string | null;
  shared_at: Date;
  texts: string[];
}

/** A case's own and its persons' files: names and withdrawal reasons written before the share. */
const CASE_SHARE_TEXTS = `
  SELECT 'case' AS via_type, s.case_id AS via_id, c.owner_country AS holder, s.country_code AS recipient,
         s.handling_code AS code, s.shared_by, s.shared_at,
         ARRAY(SELECT t FROM attachment f
                 CROSS JOIN LATERAL (VALUES (f.filename),
                                            (CASE WHEN f.withdrawn_at < s.shared_at THEN f.withdrawal_reason END)) v(t)
                WHERE f.uploaded_at < s.shared_at AND t IS NOT NULL
                  AND (f.case_id = s.case_id
                       OR f.person_id IN (SELECT cp.person_id FROM case_person cp WHERE cp.case_id = s.case_id))
         ) AS texts
    FROM case_share s JOIN case_file c ON c.id = s.case_id`;

/**
 * An arrest's custody reasons and file withdrawal reasons the country was told of, its files' names,
 * and its person's own files, written before the share.
 */
const ARREST_SHARE_TEXTS = `
  SELECT 'arrest', s.arrest_id, a.arresting_country, s.country_code, s.handling_code, s.shared_by, s.shared_at,
         ARRAY(SELECT h.reason FROM arrest_custody_history h
                WHERE h.arrest_id = s.arrest_id AND h.reason IS NOT NULL AND h.at < s.shared_at
                  AND (h.told IS NULL OR s.country_code = ANY(h.told))
               UNION ALL
               SELECT t FROM attachment f
                 CROSS JOIN LATERAL (VALUES (f.filename),
                                            (CASE WHEN f.withdrawn_at < s.shared_at
                                                   AND (f.withdrawal_told IS NULL OR s.country_code = ANY(f.withdrawal_told))
                                                  THEN f.withdrawal_reason END)) v(t)
                WHERE f.uploaded_at < s.shared_at AND t IS NOT NULL
                  AND (f.arrest_id = s.arrest_id OR f.person_id = a.person_id)
         ) AS texts
    FROM arrest_share s JOIN arrest a ON a.id = s.arrest_id`;

async function recordFor(q: QueryRunner, share: Share): Promise<void> {
  const keys = new Set<string>();
  for (const text of share.texts) for (const key of keysIn(text)) keys.add(key);
  if (!keys.size) return;
  // What the holder holds each number as, from countries other than the new one, as the release rule
  // reads a receipt (a request's once sent; not one of a number it had released itself first). Received
  // after the share too: the text held it before the holder received it then, and the stricter side is
  // taken (the times of a receipt and of a share come from different clocks, so they are not compared).
  const held: Array<{ identifier: string; originator_country: string; codes: HandlingCode[] }> =
    await q.query(
      `SELECT ip.identifier, ip.originator_country, array_agg(DISTINCT ip.handling_code) AS codes
       FROM identifier_provenance ip
      WHERE ip.identifier = ANY($1::text[]) AND ip.receiving_country = $2 AND ip.originator_country NOT IN ($2, $3)
        AND (ip.via_type <> 'request' OR EXISTS (SELECT 1 FROM cross_border_request r
                                                  WHERE r.id = ip.via_id AND r.sent_at IS NOT NULL))
        AND NOT EXISTS (SELECT 1 FROM identifier_provenance own
                         WHERE own.identifier = ip.identifier AND own.released_by_country = $2
                           AND own.released_at < ip.released_at)
      GROUP BY ip.identifier, ip.originator_country`,
      [[...keys], share.holder, share.recipient],
    );
  for (const h of held)
    await q.query(
      `INSERT INTO identifier_provenance (identifier, receiving_country, released_by_country, originator_country,
                                          handling_code, via_type, via_id, released_by, released_at)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9
        WHERE NOT EXISTS (SELECT 1 FROM identifier_provenance ip
                           WHERE ip.identifier = $1 AND ip.receiving_country = $2 AND ip.originator_country = $4
                             AND ip.via_type = $6 AND ip.via_id = $7)`,
      [
        h.identifier,
        share.recipient,
        share.holder,
        h.originator_country,
        stricter(share.code, h.codes.reduce(looser)),
        share.via_type,
        share.via_id,
        share.shared_by,
        share.shared_at,
      ],
    );
}

/** The keys of the numbers in a text as the release rule weighs them (none if it cannot be weighed). */
function keysIn(text: string): string[] {
  try {
    return numbersIn(text, 'text').map((n) => n.key);
  } catch {
    return [];
  }
}
