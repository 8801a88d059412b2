import type { EntityManager } from 'typeorm';
import {
  attachmentParentSql,
  attachmentRequestId,
  attachmentStandsAt,
  countriesCooperate,
  countriesToldBy,
  countryAsWhole,
  notToldTo,
  repatriationUnderWay,
} from '../access/scopes';
import { numberSql } from '../common/references';
import { queryPrepared, ReadPart, SqlParams } from '../database/sql-parts';
import type { HandlingCode } from './handling-code';
import { nationalKeysOf, type OutgoingText } from './identifier-keys';

/** How a record came to another country: the request, case or arrest it travelled with. */
export interface Channel {
  type: 'request' | 'case' | 'arrest';
  id: string;
}

/** One way the holder received an identifier (a row per receipt; none: the holder's own). */
export interface IdentifierReceipt {
  identifier: string;
  originator_country: string;
  handling_code: HandlingCode;
  green_circle: boolean;
  granted: boolean;
}

export interface PersonHolding {
  person_id: string;
  owner_country: string;
  /** The codes under which the holder received the person (empty for its own persons). */
  codes: HandlingCode[];
  green_circle: boolean;
  /** The originator consented to pass the person on to the recipient (a person-level `release_grant`). */
  granted: boolean;
  /**
   * The identifier keys those consents cover: the numbers the person carried when each was given
   * (`release_grant.covers`). A number added later is not consented to by them.
   */
  granted_keys: string[];
  /** Folded document numbers and phones: they travel with the person as identifiers. */
  document_numbers: string[];
  phones: string[];
  /** Free text; number-like words in it are weighed like identifiers. */
  notes: string | null;
  /** The person's names: number-like words in them too. */
  names: Array<{ full: string }>;
  /** The person as stored, every column: what a recipient reads of it, numbers written anywhere in it too. */
  record: Record<string, unknown>;
  /**
   * The holder keeps a copy of the person (its link to the owner ended, or it read it only onward): the
   * numbers, names, notes and record above are the copy's, what the holder reads and so all it can pass on.
   */
  kept: boolean;
}

/** A country a person went to, and the link and code it went under. */
export interface PersonRecipient {
  country_code: string;
  handling_code: HandlingCode;
  via_type: Channel['type'];
  via_id: string;
  /** The link still carries the holder's changes and the country reads them (`personRecipients`). */
  live: boolean;
  /**
   * A request not sent yet (the holder's own, or the release recorded on it): the country reads nothing
   * by it, but it goes as it stands.
   */
  unsent: boolean;
  /**
   * A RED request the holder sent: in the country it went to, only its named recipients read it (its
   * liaisons and the assigned officer), not the country as a whole (`PersonRecipientsService.recipientsOf`).
   */
  red_recipients_only: boolean;
}

/**
 * A receipt counts from the moment it reached the receiver: a case or arrest share at once, a request
 * once it was sent. A draft the originator never sent (or withdrew before sending) gave nothing, so
 * it cannot loosen or tighten what the receiver holds. `row` is the provenance row's alias.
 */
const reached = (row: string) =>
  `(${row}.via_type <> 'request' OR EXISTS (SELECT 1 FROM cross_border_request vr
     WHERE vr.id = ${row}.via_id AND vr.sent_at IS NOT NULL))`;

/**
 * A file receipt counts as `reached` does: by a request, once the request is sent (its `approve`,
 * database time as the attachment's). Bytes attached to the request itself count only if still on it
 * then: a file the origin withdrew or replaced while drafting never reached the target
 * (`attachmentDraftedAwaySql` reads it so too). Bytes that went by the request otherwise (a file on a
 * person the request carries) count from the sending.
 */
const fileReached = (row: string) => {
  const onRequest = (ra: string) =>
    `SELECT 1 FROM attachment ${ra} WHERE ${ra}.sha256 = ${row}.sha256 AND ${attachmentRequestId(ra)} = ${row}.via_id`;
  return `(${row}.via_type <> 'request' OR EXISTS (
     SELECT 1 FROM (SELECT min(fh.at) AS at FROM request_status_history fh
                     WHERE fh.request_id = ${row}.via_id AND fh.action = 'approve') sent
      WHERE sent.at IS NOT NULL
        AND (NOT EXISTS (${onRequest('ra0')})
             OR EXISTS (${onRequest('ra')}
                         AND (ra.withdrawn_at IS NULL OR ra.withdrawn_at > sent.at)
                         AND NOT EXISTS (SELECT 1 FROM attachment rn
                                          WHERE rn.supersedes = ra.id AND rn.uploaded_at <= sent.at)))))`;
};

/**
 * Columns of records that leave which no user writes: the system draws them (a case's reference is the
 * owner's numbering, `KR-2026-00001`), so they carry no number anyone received, and weighed they would
 * only collide with a partner's numbering. Every other column is weighed (`textsIn`).
 */
export const SYSTEM_WRITTEN: Record<string, string[]> = { case_file: ['reference'] };

/** The columns of a person a kept copy holds (`person_kept_copy`): what its holder reads instead of the live ones. */
const KEPT_COLUMNS = [
  'names',
  'search_text',
  'birth_date',
  'nationalities',
  'sex',
  'documents',
  'document_numbers',
  'phones',
  'notes',
  'updated_at',
  'version',
];

/** The SQL of provenance, grants and the links that make data visible to another country. */
export class ProvenanceStore {
  constructor(private readonly m: EntityManager) {}

  /**
   * For each person: owner, how `holder` received it, and whether it may go on to `recipient`. The
   * rows are share-locked, so a change of the person (which locks its row) either comes before and is
   * weighed here, or waits and weighs this release's link itself (`personRecipients`, or an onward copy).
   * Where the holder keeps a copy of the person (`person_kept_copy`), what it holds is the copy: its
   * numbers and text are weighed, not the owner's later edits, which the holder was never given.
   */
  holdings(personIds: string[], holder: string, recipient: string, day: string): Promise<PersonHolding[]> {
    const held = (column: string) => `CASE WHEN k.person_id IS NULL THEN p.${column} ELSE k.${column} END`;
    return queryPrepared(
      this.m,
      `SELECT p.id AS person_id, p.owner_country, ${held('document_numbers')} AS document_numbers,
              ${held('phones')} AS phones, ${held('notes')} AS notes, ${held('names')} AS names,
              CASE WHEN k.person_id IS NULL THEN to_jsonb(p)
                   ELSE to_jsonb(p) || jsonb_build_object(${KEPT_COLUMNS.map((c) => `'${c}', k.${c}`).join(', ')})
              END AS record,
              k.person_id IS NOT NULL AS kept,
              ARRAY(SELECT DISTINCT pv.handling_code FROM person_provenance pv
                     WHERE pv.person_id = p.id AND pv.receiving_country = $2 AND ${reached('pv')}) AS codes,
              countries_cooperate_on($2, p.owner_country, $3, $4::date) AS green_circle,
              EXISTS (SELECT 1 FROM release_grant g
                       WHERE g.person_id = p.id AND g.holder_country = $2 AND g.recipient_country = $3) AS granted,
              ARRAY(SELECT DISTINCT c FROM release_grant g CROSS JOIN LATERAL unnest(g.covers) c
                     WHERE g.person_id = p.id AND g.holder_country = $2 AND g.recipient_country = $3) AS granted_keys
         FROM person p
         LEFT JOIN person_kept_copy k ON k.person_id = p.id AND k.country_code = $2 AND p.owner_country <> $2
        WHERE p.id = ANY($1::uuid[])
          FOR SHARE OF p`,
      [personIds, holder, recipient, day],
    );
  }

  /**
   * Every country other than `holder` the holder itself passed a person to, by every link it made:
   * its own cases that hold it and are shared, requests it is a side of that name it (drafts too: they
   * are sent as they stand), its own arrests of it that are shared, and every release it recorded for
   * it. Links other countries made (a partner's case shared on, a partner's arrest) are not here: they
   * are the partner's records, which the holder does not read (`onwardRecipients`).
   *
   * `live`: the link still carries the holder's changes to the country — a share not revoked, a
   * request between the two that is under way (sent, accepted or fulfilled: not withdrawn, rejected or
   * closed; for a repatriation, the person not dropped from it), an arrest share. A release recorded by a link that is gone (a share revoked, a request
   * withdrawn) is not: the country keeps what it received (`PersonRecipientsService.recipientsOf`), even where
   * it linked the person into records of its own. `unsent`: the holder's own request not sent yet,
   * which the country does not read but which goes as it stands.
   */
  personRecipients(personId: string, holder: string): Promise<PersonRecipient[]> {
    return this.m.query(
      `SELECT DISTINCT * FROM (
         SELECT cs.country_code, cs.handling_code, 'case' AS via_type, cs.case_id AS via_id, true AS live,
                false AS unsent, false AS red_recipients_only
           FROM case_person cp
           JOIN case_file c ON c.id = cp.case_id AND c.owner_country = $2
           JOIN case_share cs ON cs.case_id = cp.case_id AND cs.revoked_at IS NULL
          WHERE cp.person_id = $1
         UNION ALL
         SELECT CASE WHEN r.origin_country = $2 THEN r.target_country ELSE r.origin_country END,
                r.handling_code, 'request', r.id,
                r.status IN ('sent', 'accepted', 'fulfilled')
                  -- A person dropped from a repatriation no longer travels with it.
                  AND NOT EXISTS (SELECT 1 FROM repatriation_person d WHERE d.request_id = r.id
                                   AND d.person_id = rp.person_id AND d.drop_reason IS NOT NULL),
                r.origin_country = $2 AND r.sent_at IS NULL, r.handling_code = 'RED' AND r.origin_country = $2
           FROM request_person rp JOIN cross_border_request r ON r.id = rp.request_id
          WHERE rp.person_id = $1 AND $2 IN (r.origin_country, r.target_country)
         UNION ALL
         SELECT s.country_code, s.handling_code, 'arrest', a.id, true, false, false
           FROM arrest a JOIN arrest_share s ON s.arrest_id = a.id
          WHERE a.person_id = $1 AND a.arresting_country = $2
         UNION ALL
         -- Every country the holder ever released it to, by whatever link.
         SELECT pv.receiving_country, pv.handling_code, pv.via_type, pv.via_id, false,
                pv.via_type = 'request' AND EXISTS (SELECT 1 FROM cross_border_request r
                                                     WHERE r.id = pv.via_id AND r.sent_at IS NULL),
                false
           FROM person_provenance pv WHERE pv.person_id = $1 AND pv.released_by_country = $2
       ) x WHERE x.country_code <> $2
       ORDER BY country_code, via_type, via_id`,
      [personId, holder],
    );
  }

  /**
   * Countries that read a person only because another country passed it on (a partner's case or
   * arrest shared with them, a partner's request naming it, a release a partner recorded), and never
   * by a link `holder` made itself. The holder is never told of them (`PersonRecipientsService.recipientsOf`).
   */
  onwardRecipients(personId: string, holder: string): Promise<string[]> {
    return this.m
      .query(
        `SELECT DISTINCT x.country_code FROM (
           SELECT cs.country_code FROM case_person cp
             JOIN case_file c ON c.id = cp.case_id AND c.owner_country <> $2
             JOIN case_share cs ON cs.case_id = cp.case_id AND cs.revoked_at IS NULL
            WHERE cp.person_id = $1
           UNION ALL
           SELECT c.owner_country FROM case_person cp JOIN case_file c ON c.id = cp.case_id
            WHERE cp.person_id = $1
           UNION ALL
           SELECT s.country_code FROM arrest a JOIN arrest_share s ON s.arrest_id = a.id
            WHERE a.person_id = $1 AND a.arresting_country <> $2
           UNION ALL
           SELECT a.arresting_country FROM arrest a WHERE a.person_id = $1
           UNION ALL
           SELECT unnest(ARRAY[r.origin_country, r.target_country])
             FROM request_person rp JOIN cross_border_request r ON r.id = rp.request_id
            WHERE rp.person_id = $1 AND $2 NOT IN (r.origin_country, r.target_country)
           UNION ALL
           SELECT pv.receiving_country FROM person_provenance pv
            WHERE pv.person_id = $1 AND pv.released_by_country <> $2
         ) x
         WHERE x.country_code <> $2
         ORDER BY x.country_code`,
        [personId, holder],
      )
      .then((rows: Array<{ country_code: string }>) => rows.map((r) => r.country_code));
  }

  /**
   * The codes under which `country` received each person, counting only receipts by a channel the
   * reader may read (`readable`: SQL on the request alias `rr`, with its parameters already in
   * `params` after the first two) — a RED request the reader is not a recipient of is not betrayed by
   * its code. Persons it never received: no row.
   */
  receivedCodes(
    personIds: string[],
    country: string,
    readable: string,
    params: unknown[],
  ): Promise<Array<{ person_id: string; codes: HandlingCode[] }>> {
    return this.m.query(
      `SELECT pv.person_id, array_agg(DISTINCT pv.handling_code) AS codes FROM person_provenance pv
        WHERE pv.person_id = ANY($1::uuid[]) AND pv.receiving_country = $2 AND ${reached('pv')}
          AND (pv.via_type <> 'request' OR EXISTS (SELECT 1 FROM cross_border_request rr
                WHERE rr.id = pv.via_id AND ${readable}))
        GROUP BY pv.person_id`,
      [personIds, country, ...params.slice(2)],
    );
  }

  /**
   * Of `personIds`, those `holder` received only by RED requests it was the target of: such a person
   * is read in the holder's country by the request's liaisons and assigned officer only (an origin
   * reads its own requests whole). With the originator of each.
   */
  heldForRedRecipientsOnly(
    personIds: string[],
    holder: string,
  ): Promise<Array<{ id: string; owner_country: string }>> {
    return this.m.query(
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
   * Of `keys`, those `holder` received only by RED requests it was the target of (and did not know
   * before), with the originator of each: read in the holder's country by those requests' recipients.
   */
  identifiersHeldForRedRecipientsOnly(
    keys: string[],
    holder: string,
  ): Promise<Array<{ identifier: string; originator_country: string }>> {
    return this.m.query(identifiersHeldForRedRecipientsOnlySql('$1', '$2'), [keys, holder]);
  }

  /**
   * Of the files `sha256s`, those another country attached before `holder` ever did (bytes `holder`
   * received, not its own), with the country that attached them first. Received means: on a record
   * the holder reads today, or recorded as released to it (`file_provenance`, written by the release
   * rule whenever bytes go to a country, and kept when the link they went by ends — a revoked case
   * share, an ended framework, an arrest no longer shown: the holder still has the bytes it downloaded).
   */
  foreignFiles(sha256s: string[], holder: string): Promise<Array<{ sha256: string; originator: string }>> {
    if (!sha256s.length) return Promise.resolve([]);
    // Only bytes the holder's country received count: another country's file on a record the holder
    // never read is not the holder's to be refused, nor to learn of (a refusal would name that country).
    const params: unknown[] = [sha256s, holder];
    return queryPrepared(
      this.m,
      `SELECT DISTINCT ON (x.sha256) x.sha256, x.originator FROM (
         SELECT a.sha256, a.uploader_country::text AS originator, a.uploaded_at AS at FROM attachment a
          WHERE a.sha256 = ANY($1::text[]) AND a.uploader_country <> $2 AND ${attachmentParentSql(countryAsWhole(holder), params)}
            -- On a person the holder keeps a copy of, a file filed after the copy is not one it read.
            AND NOT EXISTS (SELECT 1 FROM person_kept_copy k WHERE k.person_id = a.person_id
                             AND k.country_code = $2 AND k.kept_since::timestamptz(3) <= a.uploaded_at)
            AND NOT EXISTS (SELECT 1 FROM attachment own WHERE own.sha256 = a.sha256
                             AND own.uploader_country = $2 AND own.uploaded_at <= a.uploaded_at)
         UNION ALL
         SELECT fp.sha256, fp.originator_country::text, fp.released_at FROM file_provenance fp
          WHERE fp.sha256 = ANY($1::text[]) AND fp.receiving_country = $2 AND ${fileReached('fp')}
            AND NOT EXISTS (SELECT 1 FROM attachment own WHERE own.sha256 = fp.sha256
                             AND own.uploader_country = $2 AND own.uploaded_at <= fp.released_at)
       ) x
        ORDER BY x.sha256, x.at`,
      params,
    );
  }

  /**
   * Records that `recipient` received the files `rows` (by content hash, each with the country whose
   * bytes they are) by `channel`: what a country received stays received after the link ends.
   */
  async recordFileProvenance(
    rows: Array<{ sha256: string; originator: string }>,
    recipient: string,
    channel: Channel,
  ): Promise<void> {
    const mine = rows.filter((r) => r.originator !== recipient);
    if (!mine.length) return;
    await this.m.query(
      `INSERT INTO file_provenance (sha256, receiving_country, originator_country, via_type, via_id)
       SELECT DISTINCT x.sha256, $2, x.originator, $3, $4::uuid
         FROM jsonb_to_recordset($1::jsonb) AS x(sha256 text, originator text)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(mine), recipient, channel.type, channel.id],
    );
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

  /** The received numbers a file holds for `holder` (`file_received_number`), recorded when it uploads it. */
  async recordFileNumbers(sha256: string, holder: string, keys: string[]): Promise<void> {
    if (!keys.length) return;
    await this.m.query(
      `INSERT INTO file_received_number (sha256, holder_country, identifier)
       SELECT $1, $2, unnest($3::text[]) ON CONFLICT DO NOTHING`,
      [sha256, holder, keys],
    );
  }

  /** The received numbers `holder`'s files of these contents hold. */
  async fileNumbers(sha256s: string[], holder: string): Promise<string[]> {
    const rows: Array<{ identifier: string }> = await this.m.query(
      `SELECT DISTINCT identifier FROM file_received_number WHERE sha256 = ANY($1::text[]) AND holder_country = $2`,
      [sha256s, holder],
    );
    return rows.map((r) => r.identifier);
  }

  /**
   * Files the holder's country received only on `RED` requests sent to it (their named recipients'
   * business), and has no copy of its own from before.
   */
  redOnlyFiles(sha256s: string[], holder: string): Promise<Array<{ sha256: string; originator: string }>> {
    if (!sha256s.length) return Promise.resolve([]);
    const params: unknown[] = [sha256s, holder];
    return queryPrepared(
      this.m,
      `SELECT a.sha256, min(a.uploader_country)::text AS originator FROM attachment a
        WHERE a.sha256 = ANY($1::text[]) AND a.uploader_country <> $2 AND ${attachmentParentSql(countryAsWhole(holder), params)}
          AND NOT EXISTS (SELECT 1 FROM attachment own WHERE own.sha256 = a.sha256
                           AND own.uploader_country = $2 AND own.uploaded_at <= a.uploaded_at)
        GROUP BY a.sha256
       HAVING bool_and(EXISTS (SELECT 1 FROM cross_border_request rr
                 WHERE rr.handling_code = 'RED' AND rr.target_country = $2
                   AND rr.id IN (a.request_id,
                                 (SELECT t.request_id FROM asset_freeze_target t WHERE t.id = a.asset_freeze_target_id),
                                 (SELECT b.proposal_id FROM blacklist_entry b WHERE b.id = a.blacklist_entry_id))))`,
      params,
    );
  }

  /**
   * Whether a file's parent is read by `RED` named recipients only: a RED request (or what hangs from
   * one) that `holder` is the target of. A RED request the holder sent is read by all its officers.
   */
  async parentIsRed(parent: { type: string; id: string }, holder: string): Promise<boolean> {
    const request =
      parent.type === 'request'
        ? '$1::uuid'
        : parent.type === 'asset_freeze_target'
          ? '(SELECT request_id FROM asset_freeze_target WHERE id = $1::uuid)'
          : parent.type === 'blacklist_entry'
            ? '(SELECT proposal_id FROM blacklist_entry WHERE id = $1::uuid)'
            : null;
    if (!request) return false;
    const rows: unknown[] = await this.m.query(
      `SELECT 1 FROM cross_border_request WHERE id = ${request} AND handling_code = 'RED' AND target_country = $2`,
      [parent.id, holder],
    );
    return rows.length > 0;
  }

  /** The request a request-side file's parent travels with: the request, a freeze target's, an entry's proposal. */
  async requestOfParent(parent: { type: string; id: string }): Promise<string> {
    if (parent.type === 'asset_freeze_target' || parent.type === 'blacklist_entry') {
      const [row] = await this.m.query(
        parent.type === 'asset_freeze_target'
          ? `SELECT request_id AS id FROM asset_freeze_target WHERE id = $1`
          : `SELECT proposal_id AS id FROM blacklist_entry WHERE id = $1`,
        [parent.id],
      );
      return row.id;
    }
    return parent.id;
  }

  /**
   * The files attached to records, and to the persons a release carries with them, as the records stand
   * (`attachmentStandsAt`: a version withdrawn or replaced before does not reach the recipient). On a
   * person `holder` keeps a copy of, only the files it reads: those filed before its copy (a later one is
   * the owner's, never given to the holder, and neither weighed nor passed on), withdrawn or replaced
   * only after it.
   */
  filesOf(what: {
    caseId?: string;
    arrestId?: string;
    personIds?: string[];
    holder?: string;
  }): Promise<string[]> {
    return this.m
      .query(
        `SELECT DISTINCT a.sha256 FROM attachment a
          LEFT JOIN person_kept_copy k ON k.person_id = a.person_id AND k.country_code = $4
          WHERE (a.case_id = $1 OR a.arrest_id = $2 OR a.person_id = ANY($3::uuid[]))
            AND CASE WHEN k.person_id IS NULL THEN ${attachmentStandsAt('a')}
                     ELSE a.uploaded_at < k.kept_since::timestamptz(3) AND ${attachmentStandsAt('a', 'k.kept_since::timestamptz(3)')} END`,
        [what.caseId ?? null, what.arrestId ?? null, what.personIds ?? [], what.holder ?? null],
      )
      .then((rows: Array<{ sha256: string }>) => rows.map((r) => r.sha256));
  }

  /**
   * Countries other than `holder` (the arresting country) an arrest goes to: those it is shared with,
   * and the other side of a repatriation request for it while the request is under way
   * (`repatriationUnderWay`: not withdrawn or rejected, the person not dropped). `reads`: the country
   * reads the arrest now (`arrestScope`) — a share, the origin of a request from its drafting, the target
   * from the sending. The target of the holder's own draft does not: the draft goes as it stands, so
   * what is written now is weighed for it, but it received nothing yet and no receipt is recorded for it
   * (what the arrest carries when the request is sent goes with the sending: `arrestFilesOnRequest`).
   * The side of a withdrawn or rejected request reads nothing of it, and is not here.
   * `toldOnly`: only the countries a step taken now is told to (`countriesToldBy`, a custody step's
   * `told`, a file withdrawal's `withdrawal_told`): a country no framework joins to the holder today
   * reads such a step's text never (`notToldTo`).
   */
  arrestRecipients(
    arrestId: string,
    holder: string,
    options: { toldOnly?: boolean } = {},
  ): Promise<Array<{ country_code: string; handling_code: HandlingCode; reads: boolean }>> {
    return this.m.query(
      `SELECT x.country_code, x.handling_code, bool_or(x.reads) AS reads FROM (
         SELECT country_code, handling_code, true AS reads FROM arrest_share WHERE arrest_id = $1 AND country_code <> $2
         UNION ALL
         SELECT CASE WHEN r.origin_country = $2 THEN r.target_country ELSE r.origin_country END, r.handling_code,
                r.origin_country <> $2 OR r.sent_at IS NOT NULL
           FROM repatriation_person rp JOIN cross_border_request r ON r.id = rp.request_id
          WHERE rp.arrest_id = $1 AND $2 IN (r.origin_country, r.target_country) AND ${repatriationUnderWay('r', 'rp')}
       ) x
       WHERE NOT $3::boolean OR x.country_code::text = ANY(${countriesToldBy('$2::char(2)')}::text[])
       GROUP BY x.country_code, x.handling_code
       ORDER BY x.country_code, x.handling_code`,
      [arrestId, holder, options.toldOnly ?? false],
    );
  }

  /**
   * The files on the arrests of `holder`'s own that a repatriation request carries (the person not
   * dropped from it), as its target reads them from the sending on (`arrestScope`): those not withdrawn
   * or replaced (`attachmentStandsAt`), each with its arrest and name.
   */
  arrestFilesOnRequest(
    requestId: string,
    holder: string,
  ): Promise<Array<{ arrest_id: string; sha256: string; filename: string }>> {
    return this.m.query(
      `SELECT f.arrest_id, f.sha256, f.filename FROM repatriation_person rp
         JOIN arrest a ON a.id = rp.arrest_id AND a.arresting_country = $2
         JOIN attachment f ON f.arrest_id = a.id AND ${attachmentStandsAt('f')}
        WHERE rp.request_id = $1 AND rp.drop_reason IS NULL
        ORDER BY f.arrest_id, f.uploaded_at, f.id`,
      [requestId, holder],
    );
  }

  /** Takes the case's row lock: linking persons into a case and sharing it never interleave. */
  async lockCase(caseId: string): Promise<void> {
    await this.m.query(`SELECT 1 FROM case_file WHERE id = $1 FOR UPDATE`, [caseId]);
  }

  /** Against `holdings`' `FOR SHARE`: whom a person was released to stays put until the commit. */
  async lockPerson(personId: string): Promise<void> {
    await this.m.query(`SELECT 1 FROM person WHERE id = $1 FOR NO KEY UPDATE`, [personId]);
  }

  /** What an arrest is shared with stays put until the commit (a share, and every text written on it). */
  async lockArrest(arrestId: string): Promise<void> {
    await this.lockArrests([arrestId]);
  }

  /** `lockArrest` for several, in id order. */
  async lockArrests(arrestIds: string[]): Promise<void> {
    await this.m.query(`SELECT 1 FROM arrest WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`, [
      arrestIds,
    ]);
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

  async recordIdentifierProvenance(
    rows: Array<{ key: string; originator: string; code: HandlingCode }>,
    holder: string,
    recipient: string,
    channel: Channel,
    userId: string | null,
  ): Promise<void> {
    if (!rows.length) return;
    const params = new SqlParams();
    await this.m.query(
      identifierProvenanceInsert(params, rows, holder, recipient, channel, userId),
      params.values,
    );
  }

  async recordProvenance(
    rows: Array<{ personId: string; originator: string; code: HandlingCode }>,
    holder: string,
    recipient: string,
    channel: Channel,
    userId: string | null,
  ): Promise<void> {
    if (!rows.length) return;
    await this.m.query(
      `INSERT INTO person_provenance (person_id, receiving_country, released_by_country, originator_country,
                                      handling_code, via_type, via_id, released_by)
       SELECT x.person_id, $2, $3, x.originator, x.code, $4, $5, $6
         FROM jsonb_to_recordset($1::jsonb) AS x(person_id uuid, originator text, code text)`,
      [
        JSON.stringify(rows.map((r) => ({ person_id: r.personId, originator: r.originator, code: r.code }))),
        recipient,
        holder,
        channel.type,
        channel.id,
        userId,
      ],
    );
  }

  /** Whether the request has left its origin (`approve`): until then it gives its target nothing. */
  async requestSent(requestId: string): Promise<boolean> {
    const [row] = await this.m.query(
      `SELECT sent_at IS NOT NULL AS sent FROM cross_border_request WHERE id = $1`,
      [requestId],
    );
    return Boolean(row?.sent);
  }

  /**
   * The names of the files on the request (and on its freeze targets and blacklist entries) as it stands:
   * not withdrawn or replaced (`attachmentStandsAt`).
   */
  async requestFileNames(requestId: string): Promise<string[]> {
    const rows: Array<{ filename: string }> = await this.m.query(
      `SELECT a.filename FROM attachment a
        WHERE (a.request_id = $1
               OR a.asset_freeze_target_id IN (SELECT t.id FROM asset_freeze_target t WHERE t.request_id = $1)
               OR a.blacklist_entry_id IN (SELECT b.id FROM blacklist_entry b WHERE b.proposal_id = $1))
          AND ${attachmentStandsAt('a')}
        ORDER BY a.uploaded_at, a.id`,
      [requestId],
    );
    return rows.map((r) => r.filename);
  }

  /** The persons one side linked into a request. */
  async personsOnRequest(requestId: string, side: 'origin' | 'target'): Promise<string[]> {
    const rows: Array<{ person_id: string }> = await this.m.query(
      `SELECT person_id FROM request_person WHERE request_id = $1 AND added_by_side = $2`,
      [requestId, side],
    );
    return rows.map((r) => r.person_id);
  }

  async hasActiveFramework(a: string, b: string, day: string): Promise<boolean> {
    const [row] = await queryPrepared<{ cooperates: boolean }>(
      this.m,
      `SELECT ${countriesCooperate('$1', '$2', '$3::date')} AS cooperates`,
      [a, b, day],
    );
    return row!.cooperates;
  }

  insertRequestPersons(requestId: string, personIds: string[], side: 'origin' | 'target'): Promise<unknown> {
    return this.m.query(
      `INSERT INTO request_person (request_id, person_id, added_by_side) SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING`,
      [requestId, personIds, side],
    );
  }

  async insertCasePersons(caseId: string, links: Array<{ personId: string; role: string }>): Promise<void> {
    if (!links.length) return;
    await this.m.query(
      `INSERT INTO case_person (case_id, person_id, role)
       SELECT $1, x.person_id, x.role FROM jsonb_to_recordset($2::jsonb) AS x(person_id uuid, role text)
       ON CONFLICT (case_id, person_id) DO UPDATE SET role = EXCLUDED.role`,
      [caseId, JSON.stringify(links.map((l) => ({ person_id: l.personId, role: l.role })))],
    );
  }

  /** Each person linked to the case, with its role. */
  async casePersonRoles(caseId: string): Promise<Map<string, string>> {
    const rows: Array<{ person_id: string; role: string }> = await this.m.query(
      `SELECT person_id, role FROM case_person WHERE case_id = $1`,
      [caseId],
    );
    return new Map(rows.map((r) => [r.person_id, r.role]));
  }

  casePersonIds(caseId: string): Promise<string[]> {
    return this.m
      .query(`SELECT person_id FROM case_person WHERE case_id = $1 ORDER BY person_id`, [caseId])
      .then((rows: Array<{ person_id: string }>) => rows.map((r) => r.person_id));
  }

  /**
   * What an arrest carries besides its row to `reader`, as a share with it finds them: its files' names
   * and withdrawal reasons (`notToldTo`: a withdrawal of a gap reads without its reason), and the reasons
   * of its custody steps told to it. Its files reach the country with the share, but those withdrawn or
   * replaced before, which it never reads, are `unread` (`FileTexts`); so are all the custody reasons: it
   * reads the steps from the share on (`arrestSeenSince`), and one it read before (a repatriation request
   * under way) it received when the step was taken (`IdentifierReleaseService.releaseArrestText`; probe r20).
   */
  async arrestTextsFor(arrestId: string, reader: string): Promise<FileTexts> {
    const [row]: Array<{ reasons: string[]; files: FileTextRow[] }> = await this.m.query(
      `SELECT ARRAY(SELECT h.reason FROM arrest_custody_history h
                     WHERE h.arrest_id = $1 AND h.reason IS NOT NULL AND NOT ${notToldTo('h.told', '$2::char(2)')}
                     ORDER BY h.id) AS reasons,
              COALESCE((SELECT json_agg(json_build_object(
                         'filename', f.filename,
                         'withdrawal_reason', CASE WHEN NOT ${notToldTo('f.withdrawal_told', '$2::char(2)')}
                                                   THEN f.withdrawal_reason END,
                         'stands', ${attachmentStandsAt('f')}) ORDER BY f.uploaded_at)
                         FROM attachment f WHERE f.arrest_id = $1), '[]') AS files`,
      [arrestId, reader],
    );
    const files = fileTexts(row!.files);
    return {
      ...files,
      unread: [...row!.reasons.map((text) => ['custody.reason', text] as const), ...files.unread],
    };
  }

  /**
   * The names and withdrawal reasons of persons' own files, as a country the holder passes them to lists
   * them: the files `filesOf` releases (on a person the holder keeps a copy of, those from before the
   * copy), and the withdrawn ones too, whose name and reason are listed with the withdrawal.
   */
  async personFileTexts(personIds: string[], holder: string): Promise<FileTexts> {
    if (!personIds.length) return { reaching: [], unread: [] };
    const rows: FileTextRow[] = await this.m.query(
      `SELECT a.filename, a.withdrawal_reason,
              CASE WHEN k.person_id IS NULL THEN ${attachmentStandsAt('a')}
                   ELSE ${attachmentStandsAt('a', 'k.kept_since::timestamptz(3)')} END AS stands
         FROM attachment a
         LEFT JOIN person_kept_copy k ON k.person_id = a.person_id AND k.country_code = $2
        WHERE a.person_id = ANY($1::uuid[])
          AND (k.person_id IS NULL OR a.uploaded_at < k.kept_since::timestamptz(3))
        ORDER BY a.person_id, a.uploaded_at`,
      [personIds, holder],
    );
    return fileTexts(rows);
  }

  /** A case's files as a country it is shared with lists them: names, and withdrawal reasons. */
  async caseFileTexts(caseId: string): Promise<FileTexts> {
    const rows: FileTextRow[] = await this.m.query(
      `SELECT a.filename, a.withdrawal_reason, ${attachmentStandsAt('a')} AS stands
         FROM attachment a WHERE a.case_id = $1 ORDER BY a.uploaded_at`,
      [caseId],
    );
    return fileTexts(rows);
  }

  /** An arrest as it is stored, every column: what a country it is shared with reads of it. */
  async arrestRow(arrestId: string): Promise<Record<string, unknown>> {
    const [row] = await this.m.query(`SELECT to_jsonb(a) AS row FROM arrest a WHERE id = $1`, [arrestId]);
    return row.row;
  }

  /**
   * A case as it is stored, every column but those the system writes (`SYSTEM_WRITTEN`): what a country
   * it is shared with reads of it.
   */
  async caseText(caseId: string): Promise<Record<string, unknown>> {
    const [row] = await this.m.query(
      `SELECT to_jsonb(c) - $2::text[] AS row FROM case_file c WHERE id = $1`,
      [caseId, SYSTEM_WRITTEN.case_file],
    );
    return row.row;
  }

  /** The code `recipient` holds what comes by `channel` under: its request's, its share's (AMBER when none). */
  async channelCode(channel: Channel, recipient: string): Promise<HandlingCode> {
    const [row]: Array<{ code: HandlingCode | null }> = await this.m.query(
      `SELECT CASE $1::text
                WHEN 'request' THEN (SELECT handling_code FROM cross_border_request WHERE id = $2::uuid)
                WHEN 'case' THEN (SELECT handling_code FROM case_share WHERE case_id = $2::uuid AND country_code = $3
                                   ORDER BY shared_at DESC LIMIT 1)
                WHEN 'arrest' THEN (SELECT handling_code FROM arrest_share WHERE arrest_id = $2::uuid AND country_code = $3)
              END AS code`,
      [channel.type, channel.id, recipient],
    );
    return row?.code ?? 'AMBER';
  }

  /** The countries a case is shared with now, and under which code. */
  caseShares(caseId: string): Promise<Array<{ country_code: string; handling_code: HandlingCode }>> {
    return this.m.query(
      `SELECT country_code, handling_code FROM case_share WHERE case_id = $1 AND revoked_at IS NULL ORDER BY country_code`,
      [caseId],
    );
  }

  /**
   * Shares a case under its own reference, numbered per owner, recipient and year
   * (`KR-MY-CASE-2026-000003`, see `common/references.ts`), in one statement; false when the case is
   * shared with that country already (the caller holds the case's lock, so no number is drawn in vain).
   */
  async insertCaseShare(
    share: { caseId: string; owner: string; recipient: string; sharedBy: string; handlingCode: HandlingCode },
    year: number,
  ): Promise<boolean> {
    const existing: unknown[] = await this.m.query(
      `SELECT 1 FROM case_share WHERE case_id = $1 AND country_code = $2 AND revoked_at IS NULL`,
      [share.caseId, share.recipient],
    );
    if (existing.length) return false;
    await this.m.query(
      `WITH counter AS (
         INSERT INTO request_reference_counter (origin_country, target_country, kind, year, last_value)
         VALUES ($1, $2, 'CASE', $3, 1)
         ON CONFLICT (origin_country, target_country, kind, year)
         DO UPDATE SET last_value = request_reference_counter.last_value + 1
         RETURNING last_value)
       INSERT INTO case_share (case_id, country_code, shared_by, handling_code, reference)
       SELECT $4, $2, $5, $6, $1 || '-' || $2 || '-CASE-' || $3 || '-' || ${numberSql('c.last_value')}
         FROM counter c`,
      [share.owner, share.recipient, year, share.caseId, share.sharedBy, share.handlingCode],
    );
    return true;
  }

  async insertArrestShare(
    arrestId: string,
    country: string,
    code: HandlingCode,
    userId: string,
  ): Promise<boolean> {
    const rows: unknown[] = await this.m.query(
      `INSERT INTO arrest_share (arrest_id, country_code, shared_by, handling_code) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING arrest_id`,
      [arrestId, country, userId, code],
    );
    return rows.length > 0;
  }

  /**
   * The originator's consent: per person with the identifier keys it covers (what the person carried
   * when it was given), per identifier by its key.
   */
  async insertGrants(
    grant: { persons: Array<{ personId: string; covers: string[] }>; identifiers: string[] },
    holder: string,
    recipient: string,
    grantedBy: string,
    requestId: string,
  ): Promise<void> {
    const numbersOf = new Map<string, string[]>();
    for (const [national, number] of nationalKeysOf(grant.identifiers))
      numbersOf.set(national, [...(numbersOf.get(national) ?? []), number]);
    await this.m.query(
      `INSERT INTO release_grant (person_id, identifier, number_key, covers, holder_country, recipient_country, granted_by_country, request_id)
       SELECT x.person_id, x.identifier, x.number_key, x.covers, $2, $3, $4, $5
         FROM jsonb_to_recordset($1::jsonb) AS x(person_id uuid, identifier text, number_key text, covers text[])`,
      [
        JSON.stringify([
          ...grant.persons.map((p) => ({ person_id: p.personId, identifier: null, covers: p.covers })),
          // A national key once per number it was consented for (none: the key is the number's own).
          ...grant.identifiers.flatMap((key) =>
            (numbersOf.get(key) ?? [null]).map((number) => ({
              person_id: null,
              identifier: key,
              number_key: number,
              covers: null,
            })),
          ),
        ]),
        holder,
        recipient,
        grantedBy,
        requestId,
      ],
    );
  }
}

/** What `ProvenanceStore.identifierFacts` answers. */
export interface IdentifierFacts {
  /** Of the keys, those the holder received only as the target of RED requests (empty unless asked). */
  redOnly: Array<{ identifier: string; originator_country: string }>;
  /** Whether an active framework joins holder and recipient today. */
  cooperates: boolean;
  receipts: IdentifierReceipt[];
}

/**
 * Of `keys`, those `holder` received only by RED requests it was the target of (and did not know
 * before), with the originator of each: read in the holder's country by those requests' recipients.
 * Of several such receipts of one identifier, the first recorded names it (ties: the originator first
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
                             AND own.released_at < ip.released_at)
        ORDER BY ip.identifier, ip.released_at, ip.originator_country`;
}

/**
 * How `holder` received each identifier. A receipt is ignored when the holder had released that
 * identifier itself before receiving it: it knew it already. A consent (`granted`) is its originator's
 * own, and one given under a phone's national key (`number_key`: the number it was given for) counts for
 * a receipt of that key only where the same receipt holds that number and no other number ending in the
 * same digits: another country's phone with the same national digits stays as it was received (probe r16).
 */
function identifierReceiptsSql(keys: string, holder: string, recipient: string, day: string): string {
  return `SELECT ip.identifier, ip.originator_country, ip.handling_code,
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
                             AND own.released_at < ip.released_at)`;
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
): string {
  const [x, r, h, t, v, u] = [
    params.add(JSON.stringify(rows)),
    params.add(recipient),
    params.add(holder),
    params.add(channel.type),
    params.add(channel.id),
    params.add(userId),
  ];
  return `INSERT INTO identifier_provenance (identifier, receiving_country, released_by_country, originator_country,
                                          handling_code, via_type, via_id, released_by)
       SELECT DISTINCT x.key, ${r}::text, ${h}::text, x.originator, x.code, ${t}::text, ${v}::uuid, ${u}::uuid
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

interface FileTextRow {
  filename: string;
  withdrawal_reason: string | null;
  /** The file stands on its record (`attachmentStandsAt`): it reaches the country the record goes to. */
  stands: boolean;
}

/**
 * The names and withdrawal reasons of a record's files as a release weighs them: `reaching`, those of
 * the files that reach the recipient with the record; `unread`, those of versions withdrawn or replaced
 * before, which never exist for it (`attachmentDraftedAwaySql`). Both are weighed; only what reaches
 * it is recorded as received (a receipt of the others would later refuse the recipient's own number,
 * telling it what the record held before it read it: probe r19).
 */
export interface FileTexts {
  reaching: OutgoingText;
  unread: OutgoingText;
}

/** Files as a country lists them: each one's name, and a withdrawn one's reason. */
function fileTexts(rows: FileTextRow[]): FileTexts {
  const texts = (r: FileTextRow) => [
    ['filename', r.filename] as const,
    ...(r.withdrawal_reason ? [['withdrawalReason', r.withdrawal_reason] as const] : []),
  ];
  return {
    reaching: rows.filter((r) => r.stands).flatMap(texts),
    unread: rows.filter((r) => !r.stands).flatMap(texts),
  };
}
