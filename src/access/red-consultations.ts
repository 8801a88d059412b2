import type { EntityManager } from 'typeorm';
import { queryPrepared } from '../database/sql-parts';

/**
 * A value or person received under RED as an audit event names it: not at all. The event is read by the
 * auditors of its country, who are not among a RED request's named recipients (its liaisons and the
 * assigned officer). `release.refused` writes refused RED values so (`sharing/withheld-red.ts`).
 */
export const WITHHELD_RED = { rule: 'RED', withheld: true } as const;

/**
 * Of `personIds`, those `holder` received only by RED requests it was the target of, with the originator
 * of each: such a person is read in the holder's country by the requests' liaisons and assigned officer
 * only (an origin reads its own requests whole). The release rule's test (`ReleaseService`) and the
 * consultation events' (`RedConsultations`), written once.
 */
export function heldForRedRecipientsOnly(
  m: EntityManager,
  personIds: string[],
  holder: string,
): Promise<Array<{ id: string; owner_country: string }>> {
  const reached = (
    pv: string,
  ) => `(${pv}.via_type <> 'request' OR EXISTS (SELECT 1 FROM cross_border_request vr
      WHERE vr.id = ${pv}.via_id AND vr.sent_at IS NOT NULL))`;
  // Prepared: planning it cost ~0.8 ms a call, forty times running it, and it runs at every read that
  // shows persons (consultation events) and every release check.
  return queryPrepared(
    m,
    `SELECT p.id, p.owner_country FROM person p
      WHERE p.id = ANY($1::uuid[]) AND p.owner_country <> $2
        AND EXISTS (SELECT 1 FROM person_provenance pv
                     WHERE pv.person_id = p.id AND pv.receiving_country = $2 AND ${reached('pv')})
        AND NOT EXISTS (SELECT 1 FROM person_provenance pv
                         WHERE pv.person_id = p.id AND pv.receiving_country = $2 AND ${reached('pv')}
                           AND NOT (pv.handling_code = 'RED' AND pv.via_type = 'request' AND EXISTS (
                             SELECT 1 FROM cross_border_request r WHERE r.id = pv.via_id AND r.target_country = $2)))`,
    [personIds, holder],
  );
}

/**
 * What a consultation event may name of the persons a reader was shown (probe r38). The event is the
 * reader's country's, read by its auditors; a person the country holds only through RED requests it was
 * the target of is read there by those requests' named recipients alone, so its auditors are told of it
 * neither by id nor by who gave it: each such id is replaced by `WITHHELD_RED`. The test is the release
 * rule's own (`heldForRedRecipientsOnly`): received, and by nothing but such requests.
 */
export class RedConsultations {
  constructor(private readonly m: EntityManager) {}

  /** Of `personIds`, those `country`'s auditors may not be told of (held for RED recipients only). */
  async withheld(personIds: string[], country: string | null): Promise<Set<string>> {
    if (!personIds.length || !country) return new Set();
    const rows = await heldForRedRecipientsOnly(this.m, [...new Set(personIds)], country);
    return new Set(rows.map((r) => r.id));
  }

  /** `personIds` as the event names them: each withheld one as `WITHHELD_RED`. */
  async named(personIds: string[], country: string | null): Promise<Array<string | typeof WITHHELD_RED>> {
    const withheld = await this.withheld(personIds, country);
    return personIds.map((id) => (withheld.has(id) ? WITHHELD_RED : id));
  }
}

/**
 * What a search typed, by field, as its consultation event would name it: `phone`, `document` and
 * `account` are read as those identifiers, every field (a name, a list's `q`) for the numbers in it.
 */
export type TypedCriteria = Readonly<Record<string, string | undefined>>;

/**
 * Whether what a search typed holds a number `country` holds for RED recipients only (received only by
 * RED requests it was the target of): the event then names none of what was typed, as when the search
 * showed such a person. The release rule's own keys and receipts answer it (`sharing/typed-red-values.ts`);
 * the token is here because persons, whose searches ask, cannot import sharing (it imports persons).
 */
export abstract class TypedRedValues {
  abstract anyHeldForRedRecipientsOnly(typed: TypedCriteria, country: string): Promise<boolean>;
}
