import type { EntityManager } from 'typeorm';
import { countriesCooperate } from '../access/scopes';
import { ReadPart, SqlParams } from '../database/sql-parts';
import type { HandlingCode } from './handling-code';
import { Channel, reached, reachedAt } from './provenance.store';

/** One way the holder received an identifier (a row per receipt; none: the holder's own). */
export interface IdentifierReceipt {
  identifier: string;
  originator_country: string;
  handling_code: HandlingCode;
  green_circle: boolean;
  granted: boolean;
}

/** What `IdentifierProvenanceStore.identifierFacts` answers. */
export interface IdentifierFacts {
  /** Of the keys, those the holder received only as the target of RED requests (empty unless asked). */
  redOnly: Array<{ identifier: string; originator_country: string }>;
  /** Whether an active framework joins holder and recipient today. */
  cooperates: boolean;
  receipts: IdentifierReceipt[];
}

/** The SQL of identifiers' provenance: where each number a country holds came from, and under what. */
export class IdentifierProvenanceStore {
  constructor(private readonly m: EntityManager) {}

  /**
   * Of `keys`, those `holder` received only by RED requests it was the target of (and did not know
   * before), with the originator of each: read in the holder's country by those requests' recipients.
   */
  identifiersHeldForRedRecipientsOnly(
    keys: string[],
    holder: string,
  ): Promise<Array<{ identifier: string; originator_country: string }>> {
    return this.m.query(identifiersHeldForRedRecipientsOnlySql('$1', '$2'), [keys, holder]);
  }

  /** Keys of every number `holder` received from another country (and that reached it). */
  async receivedIdentifierKeys(holder: string): Promise<Set<string>> {
    const rows: Array<{ identifier: string }> = await this.m.query(
      `SELECT DISTINCT ip.identifier FROM identifier_provenance ip
        WHERE ip.receiving_country = $1 AND ip.originator_country <> $1 AND ${reached('ip')}`,
      [holder],
    );
    return new Set(rows.map((r) => r.identifier));
  }

  /**
   * How `holder` received each identifier. A receipt is ignored when the holder had released that
   * identifier itself before receiving it: it knew it already.
   */
  identifierReceipts(
    keys: string[],
    holder: string,
    recipient: string,
    day: string,
  ): Promise<IdentifierReceipt[]> {
    return this.m.query(identifierReceiptsSql('$1', '$2', '$3', '$4'), [keys, holder, recipient, day]);
  }

  /**
   * `identifierReceipts` as a hit/no-hit check by `recipient` weighs them (probe r49): a receipt the
   * holder got as a thread of a dispatch whose recipients are hidden (`recipients_visible` false), which
   * sent a thread to `recipient` too, counts as received under `AMBER` when it came looser (`CLEAR`,
   * `GREEN`). The recipient read the same number on its own thread; finding it at the holder would tell
   * it that the holder was asked as well. Consent from the originator still counts; the release rule's
   * own weighing (a share, a request) is unchanged.
   */
  identifierReceiptsForCheck(
    keys: string[],
    holder: string,
    recipient: string,
    day: string,
  ): Promise<IdentifierReceipt[]> {
    return this.m.query(
      `SELECT x.identifier, x.originator_country, x.green_circle, x.granted,
              CASE WHEN x.handling_code IN ('CLEAR', 'GREEN') AND x.via_type = 'request' AND EXISTS (
                     SELECT 1 FROM cross_border_request t
                       JOIN cross_border_request s ON s.dispatch_id = t.dispatch_id AND s.id <> t.id
                      WHERE t.id = x.via_id AND t.dispatch_id IS NOT NULL AND NOT t.recipients_visible
                        AND s.target_country = $3 AND s.sent_at IS NOT NULL)
                   THEN 'AMBER' ELSE x.handling_code END AS handling_code
         FROM (${identifierReceiptsSql('$1', '$2', '$3', '$4', true)}) x`,
      [keys, holder, recipient, day],
    );
  }

  /**
   * What the release rule needs to weigh identifiers going from `holder` to `recipient`, as one column
   * of a composed read (`readTogether`): the same three questions as `identifiersHeldForRedRecipientsOnly`
   * (only when `checkRed`), `hasActiveFramework` and `identifierReceipts`, in one round trip.
   */
  static identifierFacts(
    params: SqlParams,
    keys: string[],
    holder: string,
    recipient: string,
    day: string,
    checkRed: boolean,
  ): ReadPart<IdentifierFacts> {
    const [k, h, r, d] = [params.add(keys), params.add(holder), params.add(recipient), params.add(day)];
    const red = checkRed
      ? `(SELECT coalesce(json_agg(x), '[]') FROM (${identifiersHeldForRedRecipientsOnlySql(k, h)}) x)`
      : `'[]'::json`;
    return {
      sql: `json_build_object(
              'redOnly', ${red},
              'cooperates', ${countriesCooperate(h, r, `${d}::date`)},
              'receipts', (SELECT coalesce(json_agg(x), '[]') FROM (${identifierReceiptsSql(k, h, r, d)}) x))`,
      read: (value) => value as IdentifierFacts,
    };
  }

  /**
   * Forgets the receipts a request not sent yet recorded for numbers it no longer carries (`keep`: the
   * keys of every number it carries now): an edit took them out of the draft, which gave its target
   * nothing yet, so its target never received them. A request already sent keeps every receipt.
   */
  async forgetUnsentRequestIdentifiers(requestId: string, keep: string[]): Promise<void> {
    await this.m.query(
      `DELETE FROM identifier_provenance ip USING cross_border_request r
        WHERE r.id = $1 AND r.sent_at IS NULL AND ip.via_type = 'request' AND ip.via_id = r.id
          AND ip.identifier <> ALL($2::text[])`,
      [requestId, keep],
    );
  }

  async recordIdentifierProvenance(
    rows: Array<{ key: string; originator: string; code: HandlingCode }>,
    holder: string,
    recipient: string,
    channel: Channel,
    userId: string | null,
    releasedAt?: string,
  ): Promise<void> {
    if (!rows.length) return;
    const params = new SqlParams();
    await this.m.query(
      identifierProvenanceInsert(params, rows, holder, recipient, channel, userId, undefined, releasedAt),
      params.values,
    );
  }
}

/**
 * Of `keys`, those `holder` received only by RED requests it was the target of (and did not know
 * before), with the originator of each: read in the holder's country by those requests' recipients.
 * Of several such receipts of one identifier, the first to reach the holder names it (ties: the originator first
 * in order).
 */
function identifiersHeldForRedRecipientsOnlySql(keys: string, holder: string): string {
  const redAsTarget = (row: string) =>
    `(${row}.handling_code = 'RED' AND ${row}.via_type = 'request' AND EXISTS (
       SELECT 1 FROM cross_border_request r WHERE r.id = ${row}.via_id AND r.target_country = ${holder}))`;
  return `SELECT DISTINCT ON (ip.identifier) ip.identifier, ip.originator_country FROM identifier_provenance ip
        WHERE ip.identifier = ANY(${keys}::text[]) AND ip.receiving_country = ${holder} AND ${reached('ip')}
          AND NOT EXISTS (SELECT 1 FROM identifier_provenance o
                           WHERE o.identifier = ip.identifier AND o.receiving_country = ${holder} AND ${reached('o')}
                             AND NOT ${redAsTarget('o')})
          AND NOT EXISTS (SELECT 1 FROM identifier_provenance own
                           WHERE own.identifier = ip.identifier AND own.released_by_country = ${holder}
                             AND own.released_at < ${reachedAt('ip')})
        ORDER BY ip.identifier, ${reachedAt('ip')}, ip.originator_country`;
}

/**
 * How `holder` received each identifier. A receipt is ignored when the holder had released that
 * identifier itself before receiving it: it knew it already. A request's receipt is received at its
 * sending (`reachedAt`), not when its draft was written: the holder's own naming while the draft waited
 * was its own. A consent (`granted`) is its originator's
 * own, and one given under a phone's national key (`number_key`: the number it was given for) counts for
 * a receipt of that key only where the same receipt holds that number and no other number ending in the
 * same digits: another country's phone with the same national digits stays as it was received (probe r16).
 */
function identifierReceiptsSql(
  keys: string,
  holder: string,
  recipient: string,
  day: string,
  withChannel = false,
): string {
  return `SELECT ip.identifier, ip.originator_country, ip.handling_code,${withChannel ? ' ip.via_type, ip.via_id,' : ''}
              countries_cooperate_on(${holder}, ip.originator_country, ${recipient}, ${day}::date) AS green_circle,
              EXISTS (SELECT 1 FROM release_grant g
                       WHERE g.identifier = ip.identifier AND g.holder_country = ${holder} AND g.recipient_country = ${recipient}
                         AND g.granted_by_country = ip.originator_country
                         AND (g.number_key IS NULL OR (EXISTS (
                               SELECT 1 FROM identifier_provenance n
                                WHERE n.identifier = g.number_key AND n.receiving_country = ip.receiving_country
                                  AND n.originator_country = ip.originator_country
                                  AND n.via_type = ip.via_type AND n.via_id = ip.via_id)
                             -- and no other number with the same national digits came the same way
                             AND NOT EXISTS (
                               SELECT 1 FROM identifier_provenance o
                                WHERE o.receiving_country = ip.receiving_country
                                  AND o.via_type = ip.via_type AND o.via_id = ip.via_id
                                  AND o.identifier NOT IN (g.number_key, ip.identifier)
                                  AND substr(o.identifier, 4, 1) <> 'O'
                                  AND o.identifier LIKE '%' || substr(ip.identifier, 4))))) AS granted
         FROM identifier_provenance ip
        WHERE ip.identifier = ANY(${keys}::text[]) AND ip.receiving_country = ${holder} AND ${reached('ip')}
          AND NOT EXISTS (SELECT 1 FROM identifier_provenance own
                           WHERE own.identifier = ip.identifier AND own.released_by_country = ${holder}
                             AND own.released_at < ${reachedAt('ip')})`;
}

/**
 * Records where released identifiers came from, once per channel. With `from` (a `JoinedWrite`), as a
 * part of the statement that writes the channel itself: nothing is recorded if that wrote nothing, and
 * nothing can have been recorded for it before (the channel is the row that statement creates), so the
 * look-up of an earlier row is left out: it read every earlier release of the number to the recipient,
 * a cost that grew with each request carrying it.
 */
export function identifierProvenanceInsert(
  params: SqlParams,
  rows: Array<{ key: string; originator: string; code: HandlingCode }>,
  holder: string,
  recipient: string,
  channel: Channel,
  userId: string | null,
  from?: string,
  /** When the identifier reached the recipient, where that was before now (`released_at`). */
  releasedAt?: string,
): string {
  const at = releasedAt ? `, ${params.add(releasedAt)}::timestamptz` : '';
  const [x, r, h, t, v, u] = [
    params.add(JSON.stringify(rows)),
    params.add(recipient),
    params.add(holder),
    params.add(channel.type),
    params.add(channel.id),
    params.add(userId),
  ];
  return `INSERT INTO identifier_provenance (identifier, receiving_country, released_by_country, originator_country,
                                          handling_code, via_type, via_id, released_by${at ? ', released_at' : ''})
       SELECT DISTINCT x.key, ${r}::text, ${h}::text, x.originator, x.code, ${t}::text, ${v}::uuid, ${u}::uuid${at}
         FROM jsonb_to_recordset(${x}::jsonb) AS x(key text, originator text, code text)${
           from
             ? `, ${from}`
             : `
        WHERE NOT EXISTS (SELECT 1 FROM identifier_provenance ip
                           WHERE ip.identifier = x.key AND ip.receiving_country = ${r}::text
                             AND ip.released_by_country = ${h}::text AND ip.originator_country = x.originator
                             AND ip.handling_code = x.code AND ip.via_type = ${t}::text AND ip.via_id = ${v}::uuid)`
         }`;
}
