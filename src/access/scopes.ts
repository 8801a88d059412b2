import { PERMISSIONS } from '../common/permissions/permissions';
import type { Actor } from '../common/request-context';

/**
 * "Which records may this actor see", as SQL conditions for list queries. The single-record checks in
 * the services use the same functions, so a list never shows what a single read would refuse.
 * Parameters are named `acc*` to stay clear of the list's own filters.
 */
export interface Scope {
  sql: string;
  params: Record<string, unknown>;
}

const NOTHING: Scope = { sql: 'false', params: {} };

/** A country sees its own cases and those shared with it. */
export function caseScope(actor: Actor, alias = 'c'): Scope {
  if (!actor.countryCode) return NOTHING;
  return {
    sql: `(${alias}.owner_country = :accCountry OR EXISTS (
      SELECT 1 FROM case_share acc_s WHERE acc_s.case_id = ${alias}.id AND acc_s.country_code = :accCountry AND acc_s.revoked_at IS NULL))`,
    params: { accCountry: actor.countryCode },
  };
}

/**
 * SQL (a timestamptz): since when the actor's country reads the case `alias` — for the owner its
 * creation; for any other country the first time the owner shared it with that country (the earliest
 * `case_share.shared_at`, a revoked share included: a share made again later is not the first time the
 * case reached it). When the owner opened the case, and how often it edited it before, is the owner's:
 * a case's view, list order and cursors for another country start here.
 */
export function caseSeenSince(actor: Actor, alias = 'c', first: 'min' | 'max' = 'min'): Scope {
  if (!actor.countryCode) return { sql: `${alias}.created_at`, params: {} };
  return {
    sql: `(CASE WHEN ${alias}.owner_country = :accCountry THEN ${alias}.created_at ELSE COALESCE(
      (SELECT ${first}(acc_cs.shared_at) FROM case_share acc_cs
        WHERE acc_cs.case_id = ${alias}.id AND acc_cs.country_code = :accCountry),
      ${alias}.updated_at) END)`,
    params: { accCountry: actor.countryCode },
  };
}

/**
 * The origin sees its requests in every state; the target only from `sent` on, and a RED request only
 * by its liaisons and the officer it is assigned to (TLP 2.0). The assignee reads it as an officer: once
 * that role is taken away (an officer who is also an auditor left an auditor), the assignment alone
 * names no recipient, and it reads the request as the country's other auditors do.
 */
export function requestScope(actor: Actor, alias = 'r'): Scope {
  if (!actor.countryCode) return NOTHING;
  const liaison = actor.roles.includes('liaison');
  const assignee = actor.roles.includes('officer') ? `${alias}.assigned_to = :accUser` : 'false';
  return {
    sql: `(${alias}.origin_country = :accCountry OR (${alias}.target_country = :accCountry AND ${alias}.sent_at IS NOT NULL
      AND (${alias}.handling_code <> 'RED' OR ${liaison ? 'true' : 'false'} OR ${assignee})))`,
    params: { accCountry: actor.countryCode, accUser: actor.userId },
  };
}

/**
 * A blacklist entry is read as its proposal is (`requestScope`): the entry `alias`, as an SQL boolean.
 * A statement that locks entries by ids a caller gave (a batch activation) locks only those under this
 * scope: an entry the caller may not read is neither waited for nor held, as an id that never existed.
 */
export function blacklistEntryScope(actor: Actor, alias = 'e'): Scope {
  const proposals = requestScope(actor, 'acc_bep');
  return {
    sql: `EXISTS (SELECT 1 FROM cross_border_request acc_bep WHERE acc_bep.id = ${alias}.proposal_id AND ${proposals.sql})`,
    params: proposals.params,
  };
}

/**
 * A person is visible to their owner, and wherever a visible case or request links to them, and to a
 * country an arrest of them was shared with. An arrest share releases the whole person (the release
 * rule weighs its documents, phones and accounts, records the provenance and counts it as the person's arrival,
 * `personSeenSince`), so the person is read as any person received: the arrest itself stops with the
 * framework (`arrestScope`), the person, once given, stays given (a kept copy once cooperation ended),
 * as a case share's persons do. The arresting country's own arrest of another country's person shows
 * it nothing more: it read the person already to arrest it, and loses it as any reader does.
 */
export function personScope(actor: Actor, alias = 'p'): Scope {
  if (!actor.countryCode) return NOTHING;
  const cases = caseScope(actor, 'acc_c');
  const requests = requestScope(actor, 'acc_r');
  return {
    sql: `(${alias}.owner_country = :accCountry
      OR EXISTS (SELECT 1 FROM case_person acc_cp JOIN case_file acc_c ON acc_c.id = acc_cp.case_id
                 WHERE acc_cp.person_id = ${alias}.id AND ${cases.sql})
      OR EXISTS (SELECT 1 FROM request_person acc_rp JOIN cross_border_request acc_r ON acc_r.id = acc_rp.request_id
                 WHERE acc_rp.person_id = ${alias}.id AND ${requests.sql})
      OR EXISTS (SELECT 1 FROM arrest acc_pa JOIN arrest_share acc_pas ON acc_pas.arrest_id = acc_pa.id
                 WHERE acc_pa.person_id = ${alias}.id AND acc_pas.country_code = :accCountry))`,
    params: { ...cases.params, ...requests.params },
  };
}

/**
 * `personScope` less the actor's own persons: another country's persons that reached the actor's
 * country, by the same three ways (a visible case or request linking them, an arrest of them shared
 * with it), written as `id IN (…)` so that a query reads the persons received, not every person of the
 * table (the persons list's second branch: its own persons are read in order by `person_owner`).
 * Equal to `personScope(actor) AND owner_country <> actor's country`; keep the two together.
 */
export function personReceivedScope(actor: Actor, alias = 'p'): Scope {
  if (!actor.countryCode) return NOTHING;
  const cases = caseScope(actor, 'acc_c');
  const requests = requestScope(actor, 'acc_r');
  return {
    sql: `(${alias}.owner_country <> :accCountry AND ${alias}.id IN (
      SELECT acc_cp.person_id FROM case_person acc_cp JOIN case_file acc_c ON acc_c.id = acc_cp.case_id
       WHERE ${cases.sql}
      UNION ALL
      SELECT acc_rp.person_id FROM request_person acc_rp JOIN cross_border_request acc_r ON acc_r.id = acc_rp.request_id
       WHERE ${requests.sql}
      UNION ALL
      SELECT acc_pa.person_id FROM arrest acc_pa JOIN arrest_share acc_pas ON acc_pas.arrest_id = acc_pa.id
       WHERE acc_pas.country_code = :accCountry))`,
    params: { ...cases.params, ...requests.params },
  };
}

/**
 * With `first = 'max'`: the LAST time the person reached the country, by the same channels (a share
 * made again after a revocation): what the person's `updatedAt` is no earlier than for that country.
 *
 * SQL (a timestamptz): since when the actor's country reads the person `alias` — for the owner its
 * creation; for any other country the first time the person reached it: the earliest release recorded
 * to it (`person_provenance`: a case share or a link into a shared case, an arrest share, and a request
 * only from its sending, through a request the actor may read, so a RED channel it is not a recipient
 * of is not betrayed by its time). With no release recorded (data older than provenance), the earliest
 * link it can see now: an active share of a case holding the person, or the sending of a visible request
 * naming it. When the owner recorded the person, and what it did to it before, is the owner's: a
 * person's view, list order and cursors for another country start here.
 */
export function personSeenSince(actor: Actor, alias = 'p', first: 'min' | 'max' = 'min'): Scope {
  if (!actor.countryCode) return { sql: `${alias}.created_at`, params: {} };
  const viaRequest = requestScope(actor, 'acc_pvr');
  const shownRequest = requestScope(actor, 'acc_vr');
  // The last arrival also counts a return after a kept copy (`person_return`; GREATEST passes NULLs over).
  const returned =
    first === 'max'
      ? `, (SELECT max(acc_pr.returned_at) FROM person_return acc_pr
             WHERE acc_pr.person_id = ${alias}.id AND acc_pr.country_code = :accCountry)`
      : '';
  return {
    sql: `(CASE WHEN ${alias}.owner_country = :accCountry THEN ${alias}.created_at ELSE GREATEST(COALESCE(
      (SELECT ${first}(CASE WHEN acc_pv.via_type = 'request' THEN GREATEST(acc_pv.released_at, acc_pvr.sent_at)
                       ELSE acc_pv.released_at END)
         FROM person_provenance acc_pv
         LEFT JOIN cross_border_request acc_pvr ON acc_pv.via_type = 'request' AND acc_pvr.id = acc_pv.via_id
        WHERE acc_pv.person_id = ${alias}.id AND acc_pv.receiving_country = :accCountry
          AND (acc_pv.via_type <> 'request' OR (acc_pvr.sent_at IS NOT NULL AND ${viaRequest.sql}))),
      (SELECT ${first}(x.at) FROM (
         SELECT acc_vs.shared_at AS at FROM case_person acc_vcp
           JOIN case_share acc_vs ON acc_vs.case_id = acc_vcp.case_id AND acc_vs.country_code = :accCountry
                                 AND acc_vs.revoked_at IS NULL
          WHERE acc_vcp.person_id = ${alias}.id
         UNION ALL
         SELECT acc_vr.sent_at FROM request_person acc_vrp JOIN cross_border_request acc_vr ON acc_vr.id = acc_vrp.request_id
          WHERE acc_vrp.person_id = ${alias}.id AND acc_vr.sent_at IS NOT NULL AND ${shownRequest.sql}) x),
      ${alias}.updated_at)${returned}) END)`,
    params: { ...viaRequest.params, ...shownRequest.params },
  };
}

/**
 * An arrest is visible to the arresting country, to a country it was shared with explicitly while a
 * framework joins the two (an arrest share cannot be revoked, and its custody changes keep coming: they
 * stop with the framework), and to the arrested person's country of nationality once a repatriation
 * request for that arrest is visible to it (for the target: from `sent` on, with the request's own TLP
 * rules), likewise while a framework joins it to the arresting country.
 */
export function arrestScope(actor: Actor, alias = 'a'): Scope {
  if (!actor.countryCode) return NOTHING;
  const requests = requestScope(actor, 'acc_r');
  return { sql: arrestReadBy(alias, ':accCountry', () => requests.sql), params: { ...requests.params } };
}

/**
 * `arrestScope`'s rule, written once for each kind of reader: the signed-in actor (`arrestScope`), a
 * user row (`userMayReadRecord`, a webhook's owner), a whole country (`arrestReadByCountry`). `country`:
 * the reader's country (an SQL expression); `requestReadable(r)`: the reader reads the request `r`.
 */
function arrestReadBy(alias: string, country: string, requestReadable: (r: string) => string): string {
  return `(${alias}.arresting_country = ${country}
      OR (EXISTS (SELECT 1 FROM arrest_share acc_as WHERE acc_as.arrest_id = ${alias}.id AND acc_as.country_code = ${country})
          AND ${countriesCooperate(`${alias}.arresting_country`, country)})
      OR (${alias}.nationality = ${country} AND ${countriesCooperate(`${alias}.arresting_country`, country)} AND EXISTS (
            SELECT 1 FROM repatriation_person acc_rp JOIN cross_border_request acc_r ON acc_r.id = acc_rp.request_id
             WHERE acc_rp.arrest_id = ${alias}.id AND ${requestReadable('acc_r')} AND ${repatriationUnderWay('acc_r', 'acc_rp')})))`;
}

/**
 * SQL: `country` (an SQL expression) reads the arrest `alias`, as `arrestScope` puts it for its liaisons,
 * who read every request sent to it, RED included (`requestScope`): whether a change of the arrest is the
 * country's to hear of. Each of its users' inbox then asks `arrestScope` of that user (`readableBy`).
 */
export function arrestReadByCountry(alias: string, country: string): string {
  return arrestReadBy(
    alias,
    country,
    (r) =>
      `(${r}.origin_country = ${country} OR (${r}.target_country = ${country} AND ${r}.sent_at IS NOT NULL))`,
  );
}

/**
 * A repatriation request's row for an arrest still opens the arrest to the person's country: the
 * request was neither withdrawn nor rejected, and the person not dropped from it. After that the
 * arresting country's custody steps and files are its own again (probe r7); the request still shows
 * the row, without a custody status (`RepatriationViewService.viewExtras`).
 */
export function repatriationUnderWay(request: string, row: string): string {
  return `(${request}.status NOT IN ('withdrawn', 'rejected') AND ${row}.drop_reason IS NULL)`;
}

/**
 * `arrestScope` less the arresting country's own: another country's arrests that reached the actor's
 * country, read from its shares and the repatriation requests' arrests (`id IN (…)`, a superset) and
 * kept only where `arrestScope` holds, so that a query reads the arrests received, not every arrest of
 * the table (the arrests list's second branch: its own are read in order by `arrest_country`).
 * Equal to `arrestScope(actor) AND arresting_country <> actor's country`.
 */
export function arrestReceivedScope(actor: Actor, alias = 'a'): Scope {
  if (!actor.countryCode) return NOTHING;
  const scope = arrestScope(actor, alias);
  return {
    sql: `(${alias}.arresting_country <> :accCountry AND ${alias}.id IN (
      SELECT acc_ras.arrest_id FROM arrest_share acc_ras WHERE acc_ras.country_code = :accCountry
      UNION ALL
      SELECT acc_rarp.arrest_id FROM repatriation_person acc_rarp) AND ${scope.sql})`,
    params: { ...scope.params, accCountry: actor.countryCode },
  };
}

/**
 * What an arrest names beside its person (`screening_hit_id`, `blacklist_entry_id`,
 * `blacklist_request_id` of the arrest `alias`), as SQL booleans: whether `actor` may read each linked
 * record — a screening candidate of its own country's checkpoints, a blacklist entry or proposal under
 * `requestScope`. An arrest is read where these are not (a country it was shared with, the nationality's
 * country; inside the arresting country, a user who may not read a RED proposal), and an id of a record
 * the reader may not read would tell it that the record exists.
 */
export function arrestLinksReadable(
  actor: Actor,
  alias = 'a',
): { screeningHit: Scope; blacklistEntry: Scope; blacklistRequest: Scope } {
  if (!actor.countryCode)
    return { screeningHit: NOTHING, blacklistEntry: NOTHING, blacklistRequest: NOTHING };
  const entries = requestScope(actor, 'acc_ber');
  const proposals = requestScope(actor, 'acc_blr');
  const screenings = screeningScope(actor, 'acc_ss');
  return {
    screeningHit: {
      sql: `EXISTS (SELECT 1 FROM screening_candidate acc_sc JOIN screening acc_ss ON acc_ss.id = acc_sc.screening_id
                     WHERE acc_sc.id = ${alias}.screening_hit_id AND ${screenings.sql})`,
      params: screenings.params,
    },
    blacklistEntry: {
      sql: `EXISTS (SELECT 1 FROM blacklist_entry acc_be JOIN cross_border_request acc_ber ON acc_ber.id = acc_be.proposal_id
                     WHERE acc_be.id = ${alias}.blacklist_entry_id AND ${entries.sql})`,
      params: entries.params,
    },
    blacklistRequest: {
      sql: `EXISTS (SELECT 1 FROM cross_border_request acc_blr
                     WHERE acc_blr.id = ${alias}.blacklist_request_id AND acc_blr.kind = 'blacklist' AND ${proposals.sql})`,
      params: proposals.params,
    },
  };
}

/**
 * Inbound requests that count among the caller's country's figures but that the caller may not read:
 * `requestScope` less its RED rule, for pre-summed figures (the rollup keys do not hold the handling
 * code) to take away. Null when there are none (a liaison reads every inbound request).
 * Matches the predicate of the partial index `request_red_inbound` (migration 1763800018000).
 */
export function hiddenInboundRequests(actor: Actor, alias = 'r'): Scope | null {
  if (!actor.countryCode || actor.roles.includes('liaison')) return null;
  // As `requestScope`: only an officer reads the RED requests assigned to it.
  const notAssigned = actor.roles.includes('officer')
    ? `${alias}.assigned_to IS DISTINCT FROM :accUser`
    : 'true';
  return {
    sql: `(${alias}.target_country = :accCountry AND ${alias}.handling_code = 'RED' AND ${alias}.sent_at IS NOT NULL
      AND ${notAssigned})`,
    params: { accCountry: actor.countryCode, accUser: actor.userId },
  };
}

/**
 * `requestScope` for a user row `u` of `app_user` (a webhook's owner) instead of the signed-in actor:
 * the same rule, read from the user's stored country and roles.
 */
export function requestScopeOfUser(r: string, u: string): string {
  return `(${r}.origin_country = ${u}.country_code OR (${r}.target_country = ${u}.country_code AND ${r}.sent_at IS NOT NULL
    AND (${r}.handling_code <> 'RED' OR 'liaison' = ANY(${u}.roles)
         OR ('officer' = ANY(${u}.roles) AND ${r}.assigned_to = ${u}.id))))`;
}

/** Who may read a request, a case or an arrest, among the permissions (`requests.read`, `cases.read`, `arrests.read`). */
const REQUEST_READERS = "ARRAY['officer','liaison','auditor']::text[]";
/** Who may read blacklist entries and their amendments (`blacklist.read`). */
const BLACKLIST_READERS = `ARRAY[${PERMISSIONS['blacklist.read'].map((role) => `'${role}'`).join(',')}]::text[]`;
/** Who may read arrests (`arrests.read`). */
const ARREST_READERS = `ARRAY[${PERMISSIONS['arrests.read'].map((role) => `'${role}'`).join(',')}]::text[]`;

/**
 * May the user row `u` read the record of a notification (`recordType`, `$recordId` a uuid parameter)?
 * Country, permission (by role) and the record's own rule, as `requestScope` puts them for a
 * signed-in caller. Record types without a rule here are read by nobody this way (deny by default).
 */
export function userMayReadRecord(recordType: string, recordId: string, u: string): string {
  switch (recordType) {
    case 'request':
      return `(${u}.roles && ${REQUEST_READERS} AND EXISTS (SELECT 1 FROM cross_border_request acc_r
        WHERE acc_r.id = ${recordId} AND ${requestScopeOfUser('acc_r', u)}))`;
    case 'case':
      // The owner's and, while a share is active, the partner's readers of cases (`caseScope`).
      return `(${u}.roles && ${REQUEST_READERS} AND EXISTS (SELECT 1 FROM case_file acc_c
        WHERE acc_c.id = ${recordId} AND (acc_c.owner_country = ${u}.country_code OR EXISTS (
          SELECT 1 FROM case_share acc_s WHERE acc_s.case_id = acc_c.id AND acc_s.country_code = ${u}.country_code
             AND acc_s.revoked_at IS NULL))))`;
    case 'blacklist_entry':
      // As `BlacklistService.findVisible` (`requestScope` of the entry's proposal), for the readers of the
      // blacklist (`blacklist.read`), who read the entry and its amendments.
      return `(${u}.roles && ${BLACKLIST_READERS} AND EXISTS (SELECT 1 FROM blacklist_entry acc_be
        JOIN cross_border_request acc_r ON acc_r.id = acc_be.proposal_id
        WHERE acc_be.id = ${recordId} AND ${requestScopeOfUser('acc_r', u)}))`;
    case 'screening_alert':
      // As `screeningAlertScope`: the proposer only for a confirmed hit it was told of.
      return `(${u}.roles && ARRAY['liaison']::text[] AND EXISTS (SELECT 1 FROM screening_alert acc_al
        WHERE acc_al.id = ${recordId} AND (${u}.country_code = acc_al.banning_country
          OR (${u}.country_code = acc_al.proposing_country AND acc_al.kind = 'confirmed_hit'
              AND acc_al.proposer_told_at IS NOT NULL))))`;
    case 'arrest':
      // `arrestScope`, read from the user's stored country and roles (an `arrest.corrected` notice).
      return `(${u}.roles && ${ARREST_READERS} AND EXISTS (SELECT 1 FROM arrest acc_ua
        WHERE acc_ua.id = ${recordId} AND ${arrestReadBy('acc_ua', `${u}.country_code`, (r) => requestScopeOfUser(r, u))}))`;
    case 'user':
      // An account of the reader's own country, to its admins and auditors (four-eyes role changes).
      return `(${u}.roles && ARRAY['admin', 'auditor']::text[] AND EXISTS (SELECT 1 FROM app_user acc_u
        WHERE acc_u.id = ${recordId} AND acc_u.country_code = ${u}.country_code))`;
    default:
      // Still names the parameter, so the statement takes the same parameters whatever the type.
      return `(${recordId} IS NULL AND false)`;
  }
}

/** The record types `userMayReadRecord` has a rule for: the only ones a webhook may carry. */
const RECORD_TYPES_WITH_A_RULE = [
  'request',
  'case',
  'blacklist_entry',
  'screening_alert',
  'arrest',
  'user',
] as const;

/**
 * `userMayReadRecord` when the type is a column (`typeColumn`, e.g. a stored notification's), so that a
 * check made at delivery knows every type the check made at enqueue knew; any other type is denied.
 */
export function userMayReadRecordOfType(typeColumn: string, recordId: string, u: string): string {
  const rules = RECORD_TYPES_WITH_A_RULE.map((t) => `WHEN '${t}' THEN ${userMayReadRecord(t, recordId, u)}`);
  return `(CASE ${typeColumn} ${rules.join(' ')} ELSE false END)`;
}

/**
 * May the user row `u` read the arrest `recordId`: its arresting country's readers of arrests and, while
 * a framework joins the two, those of a country it was shared with (`arrestScope` less its repatriation
 * path, which the correlation alerts that ask this do not need: deny by default). `userMayReadRecord`
 * holds the whole rule (a webhook's owner and a notice about an arrest).
 */
export function userMayReadArrest(recordId: string, u: string): string {
  return `(${u}.roles && ${REQUEST_READERS} AND EXISTS (SELECT 1 FROM arrest acc_ar
    WHERE acc_ar.id = ${recordId} AND (acc_ar.arresting_country = ${u}.country_code OR (EXISTS (
      SELECT 1 FROM arrest_share acc_ars WHERE acc_ars.arrest_id = acc_ar.id AND acc_ars.country_code = ${u}.country_code)
      AND ${countriesCooperate('acc_ar.arresting_country', `${u}.country_code`)}))))`;
}

/**
 * The first audit event at which a request became visible to its target: its `approve` (the step to
 * `sent`). `requestId` is an SQL expression of the request's id as text.
 */
const sentMark = (requestId: string) =>
  `(SELECT min(acc_a.id) FROM audit_event acc_a
     WHERE acc_a.record_type = 'request' AND acc_a.record_id = ${requestId} AND acc_a.action = 'request.approve'
       AND acc_a.outcome = 'success')`;

/**
 * A change of a cooperation framework by the platform administrator (created, changed or suspended, a
 * country joining or leaving) changes who may send what to whom, yet has no owner: the administrator
 * has no country. Its event names the member countries it concerns when it is written
 * (`details.memberCountries`, see `ReferenceDataService.membersConcerned`), and is theirs to read:
 * members at the change, not a country that joined later or never was one. Only these actions: a
 * country's own `framework` events (`identifier_check.settings.change`) stay its own.
 */
const FRAMEWORK_CHANGE = (e: string) =>
  `(${e}.record_type = 'framework' AND ${e}.owner_country IS NULL
    AND ${e}.action IN ('framework.create', 'framework.update', 'framework.membership')
    AND ${e}.details -> 'memberCountries' @> jsonb_build_array(:accCountry::text))`;

/**
 * SQL: the notification row `n`, told to `country` (an SQL expression), was told it only as the target
 * of a RED request, whose named recipients alone read it: a notification about a RED request the
 * country is the target of (probe r43), or about another country's arrest the country read then only
 * through a RED repatriation request sent to it — not its own arrest, not shared with it, not on a
 * request its auditors read (one it sent, or a non-RED one sent to it) by the time of the notification
 * (probe r53). The country's auditors read nothing of these before the country takes a step, nor ever
 * the origin's own steps (its messages, its corrections of the arrest): a read of such a notification,
 * one at a time (`auditEventScope`) or counted (`notification.read_all`), would tell them of it.
 */
export function toldOnlyToRedRecipients(n: string, country: string): string {
  return `((${n}.record_type = 'request' AND EXISTS (SELECT 1 FROM cross_border_request acc_nr
       WHERE acc_nr.id = ${n}.record_id AND acc_nr.handling_code = 'RED' AND acc_nr.target_country = ${country}))
    OR (${n}.record_type = 'arrest' AND EXISTS (SELECT 1 FROM arrest acc_na
       WHERE acc_na.id = ${n}.record_id AND acc_na.arresting_country <> ${country}
         AND EXISTS (SELECT 1 FROM repatriation_person acc_nrp JOIN cross_border_request acc_nrr ON acc_nrr.id = acc_nrp.request_id
              WHERE acc_nrp.arrest_id = acc_na.id AND acc_nrr.handling_code = 'RED' AND acc_nrr.target_country = ${country}
                AND acc_nrr.sent_at IS NOT NULL)
         AND NOT EXISTS (SELECT 1 FROM arrest_share acc_nas
              WHERE acc_nas.arrest_id = acc_na.id AND acc_nas.country_code = ${country} AND acc_nas.shared_at <= ${n}.created_at)
         AND NOT EXISTS (SELECT 1 FROM repatriation_person acc_nop JOIN cross_border_request acc_nor ON acc_nor.id = acc_nop.request_id
              WHERE acc_nop.arrest_id = acc_na.id AND (acc_nor.origin_country = ${country}
                OR (acc_nor.target_country = ${country} AND acc_nor.handling_code <> 'RED'
                    AND acc_nor.sent_at <= ${n}.created_at))))))`;
}

/** An audit event's `record_id` (text: not every record is a row) that names a row by its uuid. */
const SQL_UUID = `'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'`;

/**
 * Which audit events an auditor reads: those of their country as owner; as actor where its country is
 * a party to the event (owner or counterpart), where the event names no owner (a sign-in, its own
 * reads) or where it records a refusal (its users' probes of records it may not read); and those where
 * it is the counterpart only from the moment the record became visible to it and only where it may read
 * the record now. A successful event about a record of two other countries is theirs, whoever's step
 * set it off (an owner's edit that proposes an amendment of another pair's blacklist entry): its actor's
 * country is not told of the record by it. As counterpart: a request (and what hangs from it:
 * blacklist entries, freeze targets) from its `approve` on, under `requestScope` (so no RED for an
 * auditor); a case from its share to the country until that share is revoked; an arrest from its share, while a framework joins the two countries; screening alerts (raised to both countries) as they are.
 * Anything else: not to the counterpart. And a framework's changes to the countries they concern
 * (`FRAMEWORK_CHANGE`).
 */
export function auditEventScope(actor: Actor, e = 'e'): Scope {
  if (!actor.countryCode) return NOTHING;
  const requests = requestScope(actor, 'acc_r');
  const fromSent = (r: string) =>
    `${r}.target_country = :accCountry AND ${requests.sql} AND ${e}.id >= ${sentMark(`${r}.id::text`)}`;
  const shared = (type: string, revocable: boolean) =>
    `EXISTS (SELECT 1 FROM audit_event acc_sh
       WHERE acc_sh.record_type = '${type}' AND acc_sh.record_id = ${e}.record_id AND acc_sh.action = '${type}.share'
         AND acc_sh.counterpart_country = :accCountry AND acc_sh.id <= ${e}.id
         ${
           revocable
             ? `AND NOT EXISTS (SELECT 1 FROM audit_event acc_rv
                 WHERE acc_rv.record_type = '${type}' AND acc_rv.record_id = ${e}.record_id
                   AND acc_rv.action = '${type}.share.revoke' AND acc_rv.counterpart_country = :accCountry
                   AND acc_rv.id > acc_sh.id AND acc_rv.id < ${e}.id)`
             : ''
         })`;
  // A named recipient's read of one notification only a RED request's recipients were told of: kept in
  // the chain, but not the auditors' to read, as `notification.read_all` leaves such notifications out
  // of its count (`toldOnlyToRedRecipients`, probes r43, r51, r53).
  const redNotificationRead = `${e}.action = 'notification.read' AND ${e}.record_type = 'notification'
    AND EXISTS (SELECT 1 FROM notification acc_n
      WHERE acc_n.id = CASE WHEN ${e}.record_id ~* ${SQL_UUID}
                            THEN ${e}.record_id::uuid END
        AND ${toldOnlyToRedRecipients('acc_n', ':accCountry')})`;
  return {
    sql: `NOT (${redNotificationRead}) AND
     ((${e}.actor_country = :accCountry AND (${e}.outcome <> 'success' OR ${e}.owner_country IS NULL
                                                  OR ${e}.counterpart_country = :accCountry))
      OR ${e}.owner_country = :accCountry
      OR ${FRAMEWORK_CHANGE(e)}
      OR (${e}.counterpart_country = :accCountry AND CASE
        WHEN ${e}.record_type NOT IN ('screening', 'screening_alert')
             AND ${e}.record_id !~* ${SQL_UUID} THEN false
        ELSE CASE ${e}.record_type
        WHEN 'request' THEN EXISTS (SELECT 1 FROM cross_border_request acc_r
          WHERE acc_r.id = ${e}.record_id::uuid AND ${fromSent('acc_r')})
        WHEN 'blacklist_entry' THEN EXISTS (SELECT 1 FROM blacklist_entry acc_be
          JOIN cross_border_request acc_r ON acc_r.id = acc_be.proposal_id
          WHERE acc_be.id = ${e}.record_id::uuid AND ${fromSent('acc_r')})
        WHEN 'asset_freeze_target' THEN EXISTS (SELECT 1 FROM asset_freeze_target acc_t
          JOIN cross_border_request acc_r ON acc_r.id = acc_t.request_id
          WHERE acc_t.id = ${e}.record_id::uuid AND ${fromSent('acc_r')})
        WHEN 'case' THEN ${shared('case', true)}
        WHEN 'arrest' THEN ${shared('arrest', false)} AND ${countriesCooperate(`${e}.owner_country`, ':accCountry')}
        WHEN 'screening' THEN true
        WHEN 'screening_alert' THEN true
        ELSE false END END))`,
    params: { ...requests.params },
  };
}

/** The kinds of record an attachment hangs on (`attachment.parent_type`; its id is in `<type>_id`). */
export type AttachmentParentType =
  'case' | 'person' | 'request' | 'arrest' | 'asset_freeze_target' | 'blacklist_entry';

/**
 * Whether the rows read may hang on a record of `type`: always, unless the caller knows their parent
 * type (`known`) and it is another. A row names exactly one parent, the one its `parent_type` says (the
 * table's CHECKs), so another type's rule could only come to false for it, and is left out of the
 * statement: with every type's rule, several of them twice, a reader's statement was ~35 KB and ~150
 * subqueries, which PostgreSQL took 40–60 ms to plan against well under a millisecond to run.
 */
export function mayHangOn(type: AttachmentParentType, known?: AttachmentParentType): boolean {
  return !known || known === type;
}

/** SQL: the attachment row `a` hangs on a record of `type` (`true` when the caller knows it does). */
export function hangsOn(a: string, type: AttachmentParentType, known?: AttachmentParentType): string {
  return known === type ? 'true' : `${a}.${type}_id IS NOT NULL`;
}

/**
 * SQL: the attachment row `a` hangs on a record `actor` may see, by that record's own scope (so the RED
 * rule of a request, a revoked case share, a person's links all apply unchanged); a freeze target and a
 * blacklist entry are seen as their request is. Parameters are appended to `params` (`$n`). `known`:
 * the row's parent type, when the caller knows it (`mayHangOn`).
 */
export function attachmentParentSql(actor: Actor, params: unknown[], known?: AttachmentParentType): string {
  const on = (type: AttachmentParentType) => hangsOn('a', type, known);
  const rule = (type: AttachmentParentType, table: string, alias: string, scope: () => Scope) => () =>
    `(${on(type)} AND EXISTS (SELECT 1 FROM ${table} ${alias} WHERE ${alias}.id = a.${type}_id AND ${positional(scope(), params)}))`;
  // Each rule written only where it can hold, so the statement names only the parameters it uses.
  const rules: Array<[AttachmentParentType, () => string]> = [
    ['case', rule('case', 'case_file', 'att_c', () => caseScope(actor, 'att_c'))],
    ['person', rule('person', 'person', 'att_p', () => personScope(actor, 'att_p'))],
    ['request', rule('request', 'cross_border_request', 'att_r', () => requestScope(actor, 'att_r'))],
    ['arrest', rule('arrest', 'arrest', 'att_a', () => arrestScope(actor, 'att_a'))],
    [
      'asset_freeze_target',
      () => `(${on('asset_freeze_target')} AND EXISTS (SELECT 1 FROM asset_freeze_target att_t
       JOIN cross_border_request att_tr ON att_tr.id = att_t.request_id
      WHERE att_t.id = a.asset_freeze_target_id AND ${positional(requestScope(actor, 'att_tr'), params)}))`,
    ],
    [
      'blacklist_entry',
      () => `(${on('blacklist_entry')} AND EXISTS (SELECT 1 FROM blacklist_entry att_b
       JOIN cross_border_request att_br ON att_br.id = att_b.proposal_id
      WHERE att_b.id = a.blacklist_entry_id AND ${positional(requestScope(actor, 'att_br'), params)}))`,
    ],
  ];
  const written = rules.filter(([type]) => mayHangOn(type, known)).map(([, write]) => write());
  return `(${written.join(' OR ')}) AND NOT ${attachmentDraftedAwaySql(actor, params, 'a', known)}`;
}

/**
 * SQL: the id of the request the attachment row `a` travels with — its own request, its freeze
 * target's, its blacklist entry's proposal — or NULL for a case, person or arrest.
 */
export const attachmentRequestId = (a: string) => `COALESCE(${a}.request_id,
    (SELECT att_rt.request_id FROM asset_freeze_target att_rt WHERE att_rt.id = ${a}.asset_freeze_target_id),
    (SELECT att_rb.proposal_id FROM blacklist_entry att_rb WHERE att_rb.id = ${a}.blacklist_entry_id))`;

export const ATTACHMENT_REQUEST_ID = attachmentRequestId('a');

/**
 * SQL (a timestamptz): since when `actor`'s country has the record another country's attachment row
 * `a` hangs on — a request from its sending (its `approve`), a case from its first share with the
 * country (`caseSeenSince`), a person from when it first reached the country (`personSeenSince`), an
 * arrest likewise (`arrestSeenSince`). NULL for a request not sent. Database time, as the
 * attachment's own times.
 */
function attachmentParentSeenSince(
  actor: Actor,
  params: unknown[],
  a: string,
  known?: AttachmentParentType,
): string {
  const kase = () =>
    `(SELECT ${positional(caseSeenSince(actor, 'att_fc'), params)} FROM case_file att_fc WHERE att_fc.id = ${a}.case_id)`;
  const person = () =>
    `(SELECT ${positional(personSeenSince(actor, 'att_fp'), params)} FROM person att_fp WHERE att_fp.id = ${a}.person_id)`;
  const arrest = () =>
    `(SELECT ${positional(arrestSeenSince(actor, 'att_fa'), params)} FROM arrest att_fa WHERE att_fa.id = ${a}.arrest_id)`;
  const request = () => `(SELECT min(att_h.at) FROM request_status_history att_h
             WHERE att_h.request_id = ${attachmentRequestId(a)} AND att_h.action = 'approve')`;
  // With the parent type known, its own arm alone (as the CASE below would choose).
  if (known === 'case') return kase();
  if (known === 'person') return person();
  if (known === 'arrest') return arrest();
  if (known) return request();
  return `(CASE
      WHEN ${a}.case_id IS NOT NULL THEN ${kase()}
      WHEN ${a}.person_id IS NOT NULL THEN ${person()}
      WHEN ${a}.arrest_id IS NOT NULL THEN ${arrest()}
      ELSE ${request()} END)`;
}

/**
 * SQL: the attachment row `a` is part of another country's history from before the record it hangs on
 * reached the reader — withdrawn, or replaced by a new version, before a request was sent, before a
 * case was first shared with the reader's country, before a person first reached it
 * (`attachmentParentSeenSince`). The reader never received it, so for the reader it does not exist: a
 * file the owner took back, or an earlier version, would tell what the owner had first filed or meant
 * to send and how long it worked on it (`SENT_VERSION` and `timesAsRead` hide the count of edits for the
 * same reason). What was withdrawn or replaced after that the reader saw, and keeps seeing as such (a
 * case share revoked and made again keeps its first time) — but a case file filed and withdrawn or
 * replaced while the case was not shared with the reader (a revoked share, not yet made again) it never
 * saw, nor an arrest file filed and withdrawn or replaced while the reader could not read the arrest (a
 * repatriation request withdrawn, before a new one was sent: `arrestReadBetween`). The owner reads its
 * whole history. `known`: the row's parent type, when the caller knows it (`mayHangOn`).
 */
export function attachmentDraftedAwaySql(
  actor: Actor,
  params: unknown[],
  a = 'a',
  known?: AttachmentParentType,
): string {
  if (!actor.countryCode) return 'false';
  params.push(actor.countryCode);
  const reader = params.length;
  // When the file stopped being current: its withdrawal or its first newer version. A case file current
  // only while no share reached the reader (filed and taken back between a revocation and a new share)
  // never reached it either.
  const ended = `LEAST(${a}.withdrawn_at, (SELECT min(att_e.uploaded_at) FROM attachment att_e WHERE att_e.supersedes = ${a}.id))`;
  return `(${a}.owner_country <> $${reader}
    AND (${a}.withdrawn_at IS NOT NULL OR EXISTS (SELECT 1 FROM attachment att_n WHERE att_n.supersedes = ${a}.id))
    AND (EXISTS (SELECT 1 FROM (SELECT ${attachmentParentSeenSince(actor, params, a, known)} AS at) att_seen
      WHERE ${a}.withdrawn_at <= att_seen.at
         OR EXISTS (SELECT 1 FROM attachment att_n WHERE att_n.supersedes = ${a}.id AND att_n.uploaded_at <= att_seen.at))
      ${
        mayHangOn('case', known)
          ? `OR (${hangsOn(a, 'case', known)} AND NOT EXISTS (SELECT 1 FROM case_share att_cs
            WHERE att_cs.case_id = ${a}.case_id AND att_cs.country_code = $${reader}
              AND att_cs.shared_at < ${ended} AND (att_cs.revoked_at IS NULL OR att_cs.revoked_at > ${a}.uploaded_at)))`
          : ''
      }
      ${
        mayHangOn('arrest', known)
          ? `OR (${hangsOn(a, 'arrest', known)} AND NOT EXISTS (SELECT 1 FROM arrest att_da WHERE att_da.id = ${a}.arrest_id
            AND ${positional(arrestReadBetween(actor, 'att_da', `${a}.uploaded_at`, ended), params)}))`
          : ''
      }))`;
}

/**
 * SQL: the attachment row `a` is on its record as the record stands at `at` (SQL, a timestamptz; now
 * when not given): not withdrawn, and not replaced by a newer version, by then. What a release gives a
 * country the record reaches then (a share of a case or an arrest, a person carried with one, the
 * arrests a repatriation request carries): a version withdrawn or replaced before the record reached
 * the country never existed for it (`attachmentDraftedAwaySql`), so its bytes are neither weighed for
 * it nor recorded as received by it — a refusal of those bytes later would tell the country what the
 * record held before it read it (probe r19).
 */
export function attachmentStandsAt(a: string, at?: string): string {
  if (at === undefined)
    return `(${a}.withdrawn_at IS NULL AND NOT EXISTS (SELECT 1 FROM attachment att_sv WHERE att_sv.supersedes = ${a}.id))`;
  return `((${a}.withdrawn_at IS NULL OR ${a}.withdrawn_at >= ${at})
    AND NOT EXISTS (SELECT 1 FROM attachment att_sv WHERE att_sv.supersedes = ${a}.id AND att_sv.uploaded_at < ${at}))`;
}

/**
 * A country as a whole (what its liaisons, who read RED requests sent to it, may see): for questions
 * about the country rather than a signed-in user, such as which bytes it received.
 */
export function countryAsWhole(countryCode: string): Actor {
  return {
    kind: 'user',
    userId: '00000000-0000-0000-0000-000000000000',
    username: '',
    agencyId: null,
    countryCode,
    roles: ['liaison'],
  };
}

/**
 * A scope's SQL with its named parameters turned into `$n` ones appended to `params`, for the raw
 * queries that number their parameters.
 */
export function positional(scope: Scope, params: unknown[]): string {
  const numbers = new Map<string, number>();
  return scope.sql.replace(/(?<!:):(acc[A-Za-z]+)\b/g, (_, name: string) => {
    if (!(name in scope.params)) throw new Error(`scope parameter ${name} has no value`);
    let n = numbers.get(name);
    if (n === undefined) {
      params.push(scope.params[name]);
      n = params.length;
      numbers.set(name, n);
    }
    return `$${n}`;
  });
}

/**
 * SQL (a timestamptz): since when the actor's country reads the arrest `alias` — for the arresting
 * country its recording; for another country the first time it reached it: the arrest's share with it,
 * or the sending of a repatriation request for that arrest it may read (`arrestScope`'s two paths).
 * When the arresting country recorded it, and what it did to it before, is that country's.
 */
export function arrestSeenSince(actor: Actor, alias = 'a'): Scope {
  if (!actor.countryCode) return { sql: `${alias}.created_at`, params: {} };
  const requests = requestScope(actor, 'acc_ar_r');
  return {
    sql: `(CASE WHEN ${alias}.arresting_country = :accCountry THEN ${alias}.created_at ELSE COALESCE(
      (SELECT min(x.at) FROM (
         SELECT acc_ar_s.shared_at AS at FROM arrest_share acc_ar_s
          WHERE acc_ar_s.arrest_id = ${alias}.id AND acc_ar_s.country_code = :accCountry
         UNION ALL
         SELECT acc_ar_r.sent_at FROM repatriation_person acc_ar_rp
           JOIN cross_border_request acc_ar_r ON acc_ar_r.id = acc_ar_rp.request_id
          WHERE acc_ar_rp.arrest_id = ${alias}.id AND ${alias}.nationality = :accCountry
            AND acc_ar_r.sent_at IS NOT NULL AND ${requests.sql}) x),
      ${alias}.updated_at) END)`,
    params: { ...requests.params },
  };
}

/**
 * SQL (a table of `start`, `ended` timestamptz rows; `ended` NULL: not ended): the spans of time over
 * which the actor's country read another country's arrest `alias` — from its share with it on (a share
 * is not revoked), and, for the person's country, from the sending of each repatriation request for it
 * that the actor may read (its drafting, for the country that drafted it) until the request was
 * withdrawn or rejected or the person dropped from it (`arrestScope`, `repatriationUnderWay`). Between
 * two (a request withdrawn, a new one sent later) the reader could not read the arrest. A framework's
 * gaps are not here: what is done in one records whom it was told (`told`). Only for a reader that is
 * not the arresting country.
 */
function arrestSpans(actor: Actor, alias: string): Scope {
  const requests = requestScope(actor, 'acc_aw_r');
  const ended = `(SELECT min(acc_aw_h.at) FROM request_status_history acc_aw_h
                   WHERE acc_aw_h.request_id = acc_aw_r.id AND acc_aw_h.to_status IN ('withdrawn', 'rejected'))`;
  return {
    sql: `SELECT acc_aw_s.shared_at AS start, NULL::timestamptz AS ended FROM arrest_share acc_aw_s
      WHERE acc_aw_s.arrest_id = ${alias}.id AND acc_aw_s.country_code = :accCountry
     UNION ALL
     SELECT CASE WHEN acc_aw_r.origin_country = :accCountry THEN acc_aw_r.created_at ELSE acc_aw_r.sent_at END,
            LEAST(acc_aw_rp.dropped_at, CASE WHEN acc_aw_r.status IN ('withdrawn', 'rejected')
                                             THEN COALESCE(${ended}, acc_aw_r.updated_at) END)
       FROM repatriation_person acc_aw_rp JOIN cross_border_request acc_aw_r ON acc_aw_r.id = acc_aw_rp.request_id
      WHERE acc_aw_rp.arrest_id = ${alias}.id AND ${alias}.nationality = :accCountry AND ${requests.sql}`,
    params: { ...requests.params, accCountry: actor.countryCode },
  };
}

/**
 * SQL (a timestamptz): when something the arresting country did to the arrest `alias` at `at` (an SQL
 * timestamptz: a custody step, a file filed or withdrawn) reached the actor's country. Inside one of the
 * spans it read the arrest over (`arrestSpans`): `at`. In a gap between two (a repatriation request
 * withdrawn, a new one sent later) it could not read the arrest: what was done then reached it only
 * with the next span, at its start — read as the gap an ended framework makes is. Before the first
 * span, `at` as it is (the arrival, `arrestSeenSince`, is the caller's to compare with). For the
 * arresting country: `at`.
 */
export function arrestReachedAt(actor: Actor, alias: string, at: string): Scope {
  if (!actor.countryCode) return { sql: at, params: {} };
  const spans = arrestSpans(actor, alias);
  return {
    sql: `(CASE WHEN ${alias}.arresting_country = :accCountry THEN ${at} ELSE (
      SELECT CASE WHEN COALESCE(bool_or(acc_aw.start <= ${at} AND (acc_aw.ended IS NULL OR acc_aw.ended > ${at})), false)
                    OR NOT COALESCE(bool_or(acc_aw.start <= ${at}), false) THEN ${at}
                  ELSE COALESCE(min(acc_aw.start) FILTER (WHERE acc_aw.start > ${at}), ${at}) END
        FROM (${spans.sql}) acc_aw) END)`,
    params: spans.params,
  };
}

/**
 * SQL: the actor's country read the arrest `alias` at some time from `from` to before `to` (SQL
 * timestamptz expressions; `to` NULL: until now) — some span of `arrestSpans` overlaps it. What the
 * arresting country filed and took back while no span was open (`attachmentDraftedAwaySql`) never
 * reached the reader.
 */
function arrestReadBetween(actor: Actor, alias: string, from: string, to: string): Scope {
  const spans = arrestSpans(actor, alias);
  return {
    sql: `(${alias}.arresting_country = :accCountry OR EXISTS (SELECT 1 FROM (${spans.sql}) acc_aw
      WHERE (${to} IS NULL OR acc_aw.start < ${to}) AND (acc_aw.ended IS NULL OR acc_aw.ended > ${from})))`,
    params: spans.params,
  };
}

/**
 * SQL (a timestamptz): when the identifier of the `identifier_index` row `i` is in its record as the
 * actor's country reads that record. The row's `indexed_at` is when the record's holder wrote the
 * identifier into it — for another country's record, possibly long before the record reached the
 * reader — so it is read no earlier than the record reached that reader (for a person its LAST
 * arrival, `personSeenSince(…, 'max')`: a number added while a share was revoked must not sort by its
 * time once the share is made again; a request's sending for its target, `arrestSeenSince`), and for a person the
 * reader keeps a copy of, no later than that copy (the owner's later edits are not what it reads).
 * The holder reads its own times unchanged. Anything that orders or pages another country's records
 * by an identifier index time goes through here.
 */
export function indexedAsRead(actor: Actor, i = 'i'): Scope {
  if (!actor.countryCode) return { sql: `${i}.indexed_at`, params: {} };
  const person = personSeenSince(actor, 'acc_ip', 'max');
  const arrest = arrestSeenSince(actor, 'acc_ia');
  const requestSince = (r: string) =>
    `CASE WHEN ${r}.origin_country = :accCountry THEN ${r}.created_at ELSE coalesce(${r}.sent_at, ${r}.updated_at) END`;
  // A kept copy (onward, or after an ended cooperation) was taken at the owner's edit, a time that is
  // the owner's (the person view never shows it): a number indexed after it reads from when the person
  // reached the reader instead, never from that edit. `indexed_at` is a millisecond (rounded, as
  // `kept_since::timestamptz(3)`): a number indexed by the edit that took the copy may round below the
  // copy's microseconds, so the copy is rounded alike and its millisecond counts as after (probe r10).
  const keptAt = `CASE WHEN ${i}.indexed_at >= acc_ik.kept_since::timestamptz(3) THEN '-infinity'::timestamptz
    ELSE acc_ik.kept_since END`;
  return {
    sql: `(CASE ${i}.record_type
      WHEN 'person' THEN (SELECT GREATEST(LEAST(${i}.indexed_at, coalesce(${keptAt}, 'infinity')), ${person.sql})
        FROM person acc_ip LEFT JOIN person_kept_copy acc_ik ON acc_ik.person_id = acc_ip.id AND acc_ik.country_code = :accCountry
        WHERE acc_ip.id = ${i}.record_id)
      WHEN 'request' THEN (SELECT GREATEST(${i}.indexed_at, ${requestSince('acc_ir')})
        FROM cross_border_request acc_ir WHERE acc_ir.id = ${i}.record_id)
      WHEN 'asset_freeze_target' THEN (SELECT GREATEST(${i}.indexed_at, ${requestSince('acc_itr')})
        FROM asset_freeze_target acc_it JOIN cross_border_request acc_itr ON acc_itr.id = acc_it.request_id
        WHERE acc_it.id = ${i}.record_id)
      WHEN 'arrest' THEN (SELECT GREATEST(${i}.indexed_at, ${arrest.sql}) FROM arrest acc_ia WHERE acc_ia.id = ${i}.record_id)
      END)`,
    params: { accCountry: actor.countryCode, ...person.params, ...arrest.params },
  };
}

/**
 * SQL: the actor's country reads the identifier of the `identifier_index` row `i` in its record — the
 * record is one it may see, by that record's own scope (`personScope`, `requestScope` for a request and
 * for a freeze target's request, `arrestScope`), and a person it keeps a copy of carries the identifier
 * in that copy (the owner's later numbers are not what it reads). What may be said about where an
 * identifier is carried ("seen in", a correlation alert) says only this.
 */
export function identifierRowReadable(actor: Actor, i = 'i'): Scope {
  if (!actor.countryCode) return NOTHING;
  const persons = personScope(actor, 'acc_xp');
  const requests = requestScope(actor, 'acc_xr');
  const targets = requestScope(actor, 'acc_xtr');
  const arrests = arrestScope(actor, 'acc_xa');
  const copyHolds = `EXISTS (SELECT 1 FROM unnest(acc_xk.phones) acc_xph WHERE identifier_match_key('phone', NULL, acc_xph) = ${i}.match_key)
    OR EXISTS (SELECT 1 FROM jsonb_array_elements(acc_xk.accounts) acc_xa
                WHERE identifier_match_key(CASE acc_xa ->> 'type' WHEN 'bank_account' THEN 'bank_account' ELSE 'wallet' END,
                                           NULL, coalesce(acc_xa ->> 'accountNumber', acc_xa ->> 'address')) = ${i}.match_key)
    OR EXISTS (SELECT 1 FROM jsonb_array_elements(acc_xk.documents) acc_xd
                WHERE acc_xd ->> 'type' = 'passport'
                  AND identifier_match_key('passport', acc_xd ->> 'issuingCountry', acc_xd ->> 'number') = ${i}.match_key)`;
  return {
    sql: `(CASE ${i}.record_type
      WHEN 'person' THEN EXISTS (SELECT 1 FROM person acc_xp WHERE acc_xp.id = ${i}.record_id AND ${persons.sql}
        AND (acc_xp.owner_country = :accCountry
             OR NOT EXISTS (SELECT 1 FROM person_kept_copy acc_xk WHERE acc_xk.person_id = acc_xp.id AND acc_xk.country_code = :accCountry)
             OR EXISTS (SELECT 1 FROM person_kept_copy acc_xk
                         WHERE acc_xk.person_id = acc_xp.id AND acc_xk.country_code = :accCountry AND (${copyHolds}))))
      WHEN 'request' THEN EXISTS (SELECT 1 FROM cross_border_request acc_xr WHERE acc_xr.id = ${i}.record_id AND ${requests.sql})
      WHEN 'asset_freeze_target' THEN EXISTS (SELECT 1 FROM asset_freeze_target acc_xt
        JOIN cross_border_request acc_xtr ON acc_xtr.id = acc_xt.request_id WHERE acc_xt.id = ${i}.record_id AND ${targets.sql})
      WHEN 'arrest' THEN EXISTS (SELECT 1 FROM arrest acc_xa WHERE acc_xa.id = ${i}.record_id AND ${arrests.sql})
      ELSE false END)`,
    params: { accCountry: actor.countryCode, ...persons.params, ...requests.params, ...arrests.params },
  };
}

/**
 * SQL: an active framework joins countries `a` and `b` (SQL expressions) on `day` (an SQL date; the
 * database's today unless given): the sharing scopes' question (an arrest reaching its nationality's
 * country), and what is decided when it happens, such as whether a confirmed hit is told to the
 * proposing country. The release rule passes the app clock's day (the same day outside tests that move
 * the clock). A PL/pgSQL function, planned once per connection: as an inlined EXISTS, each check cost
 * 1.2 ms of planning at every call (migration 1763801240000). It runs row by row, so it belongs where the
 * scopes ask it: inside OR and CASE, not as a filter of a long list.
 */
export function countriesCooperate(a: string, b: string, day = 'CURRENT_DATE'): string {
  return `countries_cooperate_on(${a}, ${b}, ${day})`;
}

/**
 * SQL (a `char(2)[]`): the countries an active framework joins to `country` (an SQL expression) today —
 * whom something the country does now is told to (`told` of a custody step, `withdrawal_told` of an
 * arrest's file). A country not among them reads it as of when cooperation resumed
 * (`cooperationResumed`), and only that it happened.
 */
export function countriesToldBy(country: string): string {
  return `countries_told_by(${country}, CURRENT_DATE)`;
}

/**
 * SQL: `reader` (an SQL expression) is not among `told` (a `countriesToldBy` column: a custody step's
 * `told`, an arrest file's `withdrawal_told`), so what was done then was not given to it. NULL `told`
 * (recorded before the column existed): told.
 */
export function notToldTo(told: string, reader: string): string {
  return `(${told} IS NOT NULL AND NOT (${reader} = ANY(${told})))`;
}

/**
 * SQL (a timestamptz): the last time a framework joining `country` and `reader` (SQL expressions) today
 * changed (`framework_resumption`): when what `country` did while no framework joined the two (not
 * told to `reader`, `countriesToldBy`) reaches `reader`.
 */
export function cooperationResumed(country: string, reader: string): string {
  return `cooperation_resumed_at(${country}, ${reader}, CURRENT_DATE)`;
}

/**
 * Which screenings an actor's country reads: those its own checkpoints ran (against the entries active
 * in it), by one and in the list, and those whose candidates its screeners decide. Another country's
 * screening is not there: its id answers as one that never existed. Which roles read them at all is
 * the permission's (`screening.read`; running and deciding, `screening.run`).
 */
export function screeningScope(actor: Actor, alias = 's'): Scope {
  if (!actor.countryCode) return NOTHING;
  return { sql: `${alias}.country_code = :accCountry`, params: { accCountry: actor.countryCode } };
}

/**
 * Which screening alerts a country reads: those of its own checkpoints (it banned the person), and a
 * confirmed hit on an entry it proposed only if it was told — while a framework joined it to the banning
 * country (`proposer_told_at`, set by `countriesCooperate` where alerts are raised). A framework's end
 * keeps what was told and tells nothing new.
 */
export function screeningAlertScope(actor: Actor, alias = 'a'): Scope {
  if (!actor.countryCode) return NOTHING;
  return {
    sql: `(${alias}.banning_country = :accCountry OR (${alias}.proposing_country = :accCountry
      AND ${alias}.kind = 'confirmed_hit' AND ${alias}.proposer_told_at IS NOT NULL))`,
    params: { accCountry: actor.countryCode },
  };
}
