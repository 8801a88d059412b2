import type { EntityManager } from 'typeorm';
import { heldForRedRecipientsOnly } from '../access/red-consultations';
import { countriesCooperate, countriesToldBy, repatriationUnderWay } from '../access/scopes';
import { numberSql } from '../common/references';
import { returningRows } from '../database/returning';
import { queryPrepared } from '../database/sql-parts';
import type { HandlingCode } from './handling-code';
import { nationalKeysOf } from './identifier-keys';

/** How a record came to another country: the request, case or arrest it travelled with. */
export interface Channel {
  type: 'request' | 'case' | 'arrest';
  id: string;
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
  /** Bank accounts and wallets (`person.accounts`): they travel with the person as identifiers too. */
  accounts: Array<{ accountNumber?: string; address?: string }>;
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
export const reached = (row: string) =>
  `(${row}.via_type <> 'request' OR EXISTS (SELECT 1 FROM cross_border_request vr
     WHERE vr.id = ${row}.via_id AND vr.sent_at IS NOT NULL))`;

/**
 * SQL: when a receipt (`row`, a provenance row's alias) reached its receiver: a request's at its
 * sending, not when its draft recorded it (a draft may wait days for its liaison); a share's when it was
 * made. Whatever the receiver recorded of its own before then is its own: counted from the draft, a
 * partner's own number recorded meanwhile turned "received" once the request went, and a hit/no-hit
 * answer flipped to `no_hit`, telling the asker that the partner had been sent it (probe r50).
 */
export const reachedAt = (row: string) =>
  `(CASE WHEN ${row}.via_type = 'request'
         THEN (SELECT GREATEST(${row}.released_at, vr.sent_at) FROM cross_border_request vr WHERE vr.id = ${row}.via_id)
         ELSE ${row}.released_at END)`;

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
  'accounts',
  'account_numbers',
  'notes',
  'updated_at',
  'version',
];

/**
 * The SQL of persons' provenance, of consents, and of the links that make data visible to another
 * country (shares, a request's persons) with the locks they take. Identifiers and files have stores of
 * their own (`IdentifierProvenanceStore`, `FileProvenanceStore`).
 */

/**
 * The SQL of persons' provenance, of consents, and of the links that make data visible to another
 * country (shares, a request's persons) with the locks they take. Identifiers and files have stores of
 * their own (`IdentifierProvenanceStore`, `FileProvenanceStore`).
 */
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
              ${held('phones')} AS phones, ${held('accounts')} AS accounts, ${held('notes')} AS notes, ${held('names')} AS names,
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

  /** Of `personIds`, those `holder` holds for RED recipients only (`heldForRedRecipientsOnly`). */
  heldForRedRecipientsOnly(
    personIds: string[],
    holder: string,
  ): Promise<Array<{ id: string; owner_country: string }>> {
    return heldForRedRecipientsOnly(this.m, personIds, holder);
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

  insertRequestPersons(requestId: string, personIds: string[], side: 'origin' | 'target'): Promise<unknown> {
    return this.m.query(
      `INSERT INTO request_person (request_id, person_id, added_by_side) SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING`,
      [requestId, personIds, side],
    );
  }

  /**
   * Takes persons the origin linked off a request not sent yet, with the release each link recorded: the
   * draft gave its target nothing, so the person leaves no trace there. A sent request is left as it is.
   */
  async deleteUnsentRequestPersons(requestId: string, personIds: string[]): Promise<void> {
    await this.m.query(
      `WITH draft AS (SELECT id FROM cross_border_request WHERE id = $1 AND sent_at IS NULL),
            unlinked AS (DELETE FROM request_person rp USING draft
                          WHERE rp.request_id = draft.id AND rp.added_by_side = 'origin'
                            AND rp.person_id = ANY($2::uuid[]))
       DELETE FROM person_provenance pv USING draft
        WHERE pv.via_type = 'request' AND pv.via_id = draft.id AND pv.person_id = ANY($2::uuid[])`,
      [requestId, personIds],
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

  /**
   * Takes a person off a case: its role, or null when the person was not linked to it. Only the link
   * goes: what it released (`person_provenance`, numbers, files) stays recorded, as a revoked share's.
   */
  async deleteCasePerson(caseId: string, personId: string): Promise<string | null> {
    const rows = await returningRows<{ role: string }>(
      this.m,
      `DELETE FROM case_person WHERE case_id = $1 AND person_id = $2 RETURNING role`,
      [caseId, personId],
    );
    return rows[0]?.role ?? null;
  }

  /** The countries a case is shared with now, and under which code. */
  caseShares(caseId: string): Promise<Array<{ country_code: string; handling_code: HandlingCode }>> {
    return this.m.query(
      `SELECT country_code, handling_code FROM case_share WHERE case_id = $1 AND revoked_at IS NULL ORDER BY country_code`,
      [caseId],
    );
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

  /** Whether the request has left its origin (`approve`): until then it gives its target nothing. */
  async requestSent(requestId: string): Promise<boolean> {
    const [row] = await this.m.query(
      `SELECT sent_at IS NOT NULL AS sent FROM cross_border_request WHERE id = $1`,
      [requestId],
    );
    return Boolean(row?.sent);
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
}
