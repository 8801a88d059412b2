import { MigrationInterface, QueryRunner } from 'typeorm';
import { numbersIn, textsIn } from '../src/sharing/identifier-keys';

/**
 * Probe r14 finding 3 (fixed in commit 57117e8): a custody step's reason, or an arrest file's withdrawal
 * reason, written while no framework joined the arresting country to a country reading the arrest (a
 * country not in the step's `told`), recorded the numbers in it as received by that country
 * (`identifier_provenance`, `via_type = 'arrest'`), though it reads the step without its reason, ever.
 * The receipt made the release rule refuse that country its own later copy of the number (409), naming
 * the arresting country: it learnt the number was in a text it was not shown. New code records no such
 * receipt; this deletes the ones recorded before.
 *
 * Nothing ties a receipt to the text that wrote it, so one is matched to a gap text by everything the
 * old code wrote with it: the arrest (`via_id`), the releasing user (the step's actor, the file's
 * withdrawer), the time (`released_at`, the clock inside the step's own transaction: from its start,
 * which the step's `at` / `withdrawn_at` is, to a minute later), a receiving country not told of the
 * text, and a key of a number in the text. Receipts are written once per (number, country, code, link):
 * a receipt the country later earned by another text of the arrest (a step it was told of, a filename,
 * the arrest or its person as shared, as edited) was not written again, and the gap's row stands for it.
 * So a key any text of the arrest that the country reads or read holds — every told step's and told
 * withdrawal's reason, every filename, the arrest and person rows as they are, every audited change of
 * either — is kept: a wrong match would refuse nothing it should (the stricter side), a wrong deletion
 * would let a received number go on.
 *
 * `down` restores nothing: the deleted receipts were of texts the country never received.
 */
export class DropGapTextArrestReceipts1763801120000 implements MigrationInterface {
  name = 'DropGapTextArrestReceipts1763801120000';

  async up(q: QueryRunner): Promise<void> {
    const gaps: GapText[] = await q.query(
      `SELECT h.arrest_id AS "arrestId", h.told, h.reason AS text, h.actor_user_id AS "by", h.at
         FROM arrest_custody_history h
        WHERE h.told IS NOT NULL AND h.reason IS NOT NULL AND h.actor_user_id IS NOT NULL
       UNION ALL
       SELECT f.arrest_id, f.withdrawal_told, f.withdrawal_reason, f.withdrawn_by, f.withdrawn_at
         FROM attachment f
        WHERE f.arrest_id IS NOT NULL AND f.withdrawal_told IS NOT NULL AND f.withdrawal_reason IS NOT NULL
          AND f.withdrawn_by IS NOT NULL`,
    );
    const byArrest = new Map<string, GapText[]>();
    for (const g of gaps)
      if (keysIn(g.text)?.size) byArrest.set(g.arrestId, [...(byArrest.get(g.arrestId) ?? []), g]);
    for (const [arrestId, onArrest] of byArrest) await dropForArrest(q, arrestId, onArrest);
  }

  async down(): Promise<void> {
    // Nothing to restore: the receipts deleted were of texts their country never read.
  }
}

interface GapText {
  arrestId: string;
  told: string[];
  text: string;
  by: string;
  at: Date;
}

async function dropForArrest(q: QueryRunner, arrestId: string, gaps: GapText[]): Promise<void> {
  const readable = await readableTexts(q, arrestId, new Set(gaps.map((g) => g.text)));
  for (const gap of gaps) {
    const keys = keysIn(gap.text)!;
    const matched: Array<{ country: string }> = await q.query(
      `SELECT DISTINCT p.receiving_country AS country FROM identifier_provenance p
        WHERE ${MATCHES}`,
      [arrestId, gap.by, gap.at, gap.told, [...keys]],
    );
    for (const { country } of matched) {
      const kept = readable.keysFor(country);
      // A text too long to weigh whole keeps everything (`keysIn` null): nothing is deleted on a guess.
      if (!kept) continue;
      const stale = [...keys].filter((k) => !kept.has(k));
      if (stale.length)
        await q.query(`DELETE FROM identifier_provenance p WHERE ${MATCHES} AND p.receiving_country = $6`, [
          arrestId,
          gap.by,
          gap.at,
          gap.told,
          stale,
          country,
        ]);
    }
  }
}

/** A receipt the gap text ($1 arrest, $2 user, $3 time, $4 told, $5 keys) wrote, for a country not told. */
const MATCHES = `p.via_type = 'arrest' AND p.via_id = $1 AND p.released_by = $2
  AND p.released_at >= $3 AND p.released_at < $3::timestamptz + interval '1 minute'
  AND NOT (p.receiving_country = ANY($4::text[])) AND p.identifier = ANY($5::text[])`;

/**
 * Every text of the arrest some country read or reads: per country, the reasons it was told of; for
 * all, the filenames, the arrest and person rows and their audited changes (less the gap texts
 * themselves, which a custody change's audit event repeats).
 */
async function readableTexts(q: QueryRunner, arrestId: string, gapTexts: Set<string>) {
  const [rows] = await q.query(
    `SELECT row_to_json(a) AS arrest, row_to_json(p) AS person,
            (SELECT coalesce(json_agg(json_build_object('text', h.reason, 'told', h.told)), '[]')
               FROM arrest_custody_history h WHERE h.arrest_id = a.id AND h.reason IS NOT NULL) AS steps,
            (SELECT coalesce(json_agg(json_build_object('name', f.filename, 'text', f.withdrawal_reason,
                                                        'told', f.withdrawal_told)), '[]')
               FROM attachment f WHERE f.arrest_id = a.id) AS files,
            (SELECT coalesce(json_agg(json_build_array(e.changes, e.details)), '[]')
               FROM audit_event e
              WHERE (e.record_type, e.record_id) IN (('arrest', a.id::text), ('person', a.person_id::text))) AS audited
       FROM arrest a JOIN person p ON p.id = a.person_id WHERE a.id = $1`,
    [arrestId],
  );
  const toldTexts: Array<{ text: string | null; told: string[] | null }> = [
    ...rows.steps,
    ...rows.files.map((f: { text: string | null; told: string[] | null }) => ({
      text: f.text,
      told: f.told,
    })),
  ];
  const everyone = [
    ...rows.files.map((f: { name: string }) => f.name),
    ...[rows.arrest, rows.person, rows.audited].flatMap((v) => textsIn(v, '').map(([, text]) => text)),
  ].filter((text) => !gapTexts.has(text));
  return {
    keysFor(country: string): Set<string> | null {
      const texts = [
        ...everyone,
        ...toldTexts.filter((t) => t.text && (!t.told || t.told.includes(country))).map((t) => t.text!),
      ];
      const keys = new Set<string>();
      for (const text of texts) {
        const found = keysIn(text);
        if (!found) return null;
        found.forEach((k) => keys.add(k));
      }
      return keys;
    },
  };
}

/** The keys of the numbers in a text as the release rule weighs them; null if it cannot be weighed. */
function keysIn(text: string): Set<string> | null {
  try {
    return new Set(numbersIn(text, 'text').map((n) => n.key));
  } catch {
    return null;
  }
}
