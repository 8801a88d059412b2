import type { EntityManager } from 'typeorm';
import {
  attachmentParentSql,
  attachmentRequestId,
  attachmentStandsAt,
  countryAsWhole,
  notToldTo,
} from '../access/scopes';
import { queryPrepared } from '../database/sql-parts';
import type { OutgoingText } from './identifier-keys';
import type { Channel } from './provenance.store';

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

/** SQL: the attachment row `a` stands on the request `$1`, its freeze targets or its blacklist entries. */
const onRequestStanding = (a: string) => `(${a}.request_id = $1
     OR ${a}.asset_freeze_target_id IN (SELECT t.id FROM asset_freeze_target t WHERE t.request_id = $1)
     OR ${a}.blacklist_entry_id IN (SELECT b.id FROM blacklist_entry b WHERE b.proposal_id = $1))
    AND ${attachmentStandsAt(a)}`;

/** The SQL of files' provenance: whose bytes a file is, where they went, and what its name and text carry. */
export class FileProvenanceStore {
  constructor(private readonly m: EntityManager) {}

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

  /** The received numbers a file holds for `holder` (`file_received_number`), recorded when it uploads it. */
  async recordFileNumbers(sha256: string, holder: string, keys: string[]): Promise<void> {
    if (!keys.length) return;
    await this.m.query(
      `INSERT INTO file_received_number (sha256, holder_country, identifier)
       SELECT $1, $2, unnest($3::text[]) ON CONFLICT DO NOTHING`,
      [sha256, holder, keys],
    );
  }

  /**
   * Holds the numbers of its own `holder`'s files of these contents show until the transaction ends: a
   * release reading them (`fileOwnNumbers`) and the catch-up keeping them with the recipients found so
   * far (`ownFileRecipients`) take turns, so a share committed while the catch-up reads its file is
   * either found by it or finds what it kept. In the order of the contents, so two never wait on each other.
   */
  async holdOwnNumbers(sha256s: string[], holder: string): Promise<void> {
    await this.m.query(
      `SELECT pg_advisory_xact_lock(hashtextextended('own-numbers:' || s || ':' || $2, 19))
         FROM (SELECT DISTINCT s FROM unnest($1::text[]) AS s ORDER BY s) AS held`,
      [sha256s, holder],
    );
  }

  /**
   * The numbers of `holder`'s own a file shows (`file_own_number`), recorded when it uploads it or when
   * the catch-up reads it, with the reading they were found by (`file_own_numbers_read`). False when a
   * reading as new was recorded already (another run of the catch-up read it first): nothing written.
   */
  async recordFileOwnNumbers(
    sha256: string,
    holder: string,
    keys: string[],
    reading: number,
  ): Promise<boolean> {
    const claimed: unknown[] = await this.m.query(
      `INSERT INTO file_own_numbers_read (sha256, holder_country, reading) VALUES ($1, $2, $3)
       ON CONFLICT (sha256, holder_country) DO UPDATE SET reading = EXCLUDED.reading
        WHERE file_own_numbers_read.reading < EXCLUDED.reading
       RETURNING 1`,
      [sha256, holder, reading],
    );
    if (!claimed.length) return false;
    if (keys.length)
      await this.m.query(
        `INSERT INTO file_own_number (sha256, holder_country, identifier)
         SELECT $1, $2, unnest($3::text[]) ON CONFLICT DO NOTHING`,
        [sha256, holder, keys],
      );
    return true;
  }

  /**
   * Up to `limit` contents of files a country uploaded that no reading as new as `reading` read for
   * its own numbers, after `after`, with a file of each (the oldest): its media type and size, to read
   * it by.
   */
  async filesNotReadForOwnNumbers(
    reading: number,
    limit: number,
    after: { sha256: string; holder: string } | null,
  ): Promise<
    Array<{ sha256: string; holder: string; attachment_id: string; media_type: string; size_bytes: string }>
  > {
    return this.m.query(
      `SELECT DISTINCT ON (a.sha256, a.uploader_country) a.sha256, a.uploader_country AS holder,
              a.id AS attachment_id, a.media_type, a.size_bytes
         FROM attachment a
        WHERE NOT EXISTS (SELECT 1 FROM file_own_numbers_read r
                           WHERE r.sha256 = a.sha256 AND r.holder_country = a.uploader_country AND r.reading >= $1)
          AND ($3::text IS NULL OR (a.sha256, a.uploader_country) > ($3::char(64), $4::char(2)))
        ORDER BY a.sha256, a.uploader_country, a.uploaded_at, a.id
        LIMIT $2`,
      [reading, limit, after?.sha256 ?? null, after?.holder ?? null],
    );
  }

  /**
   * The countries a file of `holder`'s own reached, each by the links it reached it by and when it first
   * did (`file_provenance`).
   */
  async ownFileRecipients(
    sha256: string,
    holder: string,
  ): Promise<Array<{ recipient: string; channel: Channel; releasedAt: string }>> {
    const rows: Array<{
      receiving_country: string;
      via_type: Channel['type'];
      via_id: string;
      released_at: Date;
    }> = await this.m.query(
      `SELECT receiving_country, via_type, via_id, min(released_at) AS released_at FROM file_provenance
          WHERE sha256 = $1 AND originator_country = $2 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [sha256, holder],
    );
    return rows.map((r) => ({
      recipient: r.receiving_country,
      channel: { type: r.via_type, id: r.via_id },
      releasedAt: new Date(r.released_at).toISOString(),
    }));
  }

  /** The numbers of `holder`'s own its files of these contents show. */
  async fileOwnNumbers(sha256s: string[], holder: string): Promise<string[]> {
    const rows: Array<{ identifier: string }> = await this.m.query(
      `SELECT DISTINCT identifier FROM file_own_number WHERE sha256 = ANY($1::text[]) AND holder_country = $2`,
      [sha256s, holder],
    );
    return rows.map((r) => r.identifier);
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

  /**
   * The names of the files on the request (and on its freeze targets and blacklist entries) as it stands:
   * not withdrawn or replaced (`attachmentStandsAt`).
   */
  async requestFileNames(requestId: string): Promise<string[]> {
    const rows: Array<{ filename: string }> = await this.m.query(
      `SELECT a.filename FROM attachment a WHERE ${onRequestStanding('a')} ORDER BY a.uploaded_at, a.id`,
      [requestId],
    );
    return rows.map((r) => r.filename);
  }

  /** The contents of those files (`requestFileNames`). */
  async requestFiles(requestId: string): Promise<string[]> {
    const rows: Array<{ sha256: string }> = await this.m.query(
      `SELECT DISTINCT a.sha256 FROM attachment a WHERE ${onRequestStanding('a')}`,
      [requestId],
    );
    return rows.map((r) => r.sha256);
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
