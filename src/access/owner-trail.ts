import type { EntityManager } from 'typeorm';
import type { AuditEventInput } from '../audit/audit-event.input';
import { countryAsWhole, personScope, positional } from './scopes';

/**
 * Whose audit trail an act of one country's user on another country's data goes in (probe r36).
 *
 * Countries pass on what they receive: KR gives KH a person, KH links it into a case of its own and
 * shares that case with MY (README "Editing is a release"). KR is never told. An event of MY's user on
 * KR's data written in KR's trail — a download of KR's file, a refused edit of KR's person, a refused
 * release of KR's number, a probe of KR's person after KH stopped sharing — told KR's auditors that MY
 * holds its person: that KH passed it on.
 *
 * The rule: the owner (a released value's originator) is told of another country's act on its data only
 * where it gave that data to the acting country itself — it knows that country holds it, and its chain of
 * custody covers what it gave (README "Chain of custody") — or where the acting country never held it
 * at all (a probe of an id: the owner's auditors see who probed their records). Otherwise the event is
 * the acting country's alone. Cases, requests (their freeze targets and blacklist entries) and arrests
 * reach a country only from their owner, so only persons and what travels with them — their files,
 * numbers, bytes — can be held without the owner having given them.
 */
export type OwnersData =
  /** A person, or a refusal about the person itself. */
  | { person: string }
  /** An attachment: a person's file is held as its person is; any other record's, from its owner. */
  | { attachment: string }
  /**
   * A folded identifier key (`src/sharing/identifier-keys.ts`) a refusal names; `person`: the person it
   * is a number of, whose release carried it where no release of the number itself was recorded.
   */
  | { identifier: string; person?: string }
  /** Bytes (a file's SHA-256) a refusal names. */
  | { file: string };

/**
 * SQL: the owner `owner` gave the person `person` to `country` itself (SQL expressions all): a release
 * it recorded to that country (a request only once sent), a request between the two naming the person
 * and sent, a case of its own holding the person and shared with the country now (a link made after a
 * share was revoked gave nothing; one made before it, the release recorded), an arrest of its own of
 * the person shared with it. What a kept copy calls a direct recipient (`KeptCopiesStore.passOn`), as
 * opposed to an onward one, which read the person only through a partner's record.
 */
export function personGivenBy(person: string, owner: string, country: string): string {
  return `(EXISTS (SELECT 1 FROM person_provenance ot_pv
             WHERE ot_pv.person_id = ${person} AND ot_pv.released_by_country = ${owner}
               AND ot_pv.receiving_country = ${country}
               AND (ot_pv.via_type <> 'request' OR EXISTS (SELECT 1 FROM cross_border_request ot_vr
                                                           WHERE ot_vr.id = ot_pv.via_id AND ot_vr.sent_at IS NOT NULL)))
    OR EXISTS (SELECT 1 FROM request_person ot_rp JOIN cross_border_request ot_r ON ot_r.id = ot_rp.request_id
                WHERE ot_rp.person_id = ${person} AND ${owner} IN (ot_r.origin_country, ot_r.target_country)
                  AND ${country} IN (ot_r.origin_country, ot_r.target_country) AND ot_r.sent_at IS NOT NULL)
    OR EXISTS (SELECT 1 FROM case_person ot_cp
                 JOIN case_file ot_c ON ot_c.id = ot_cp.case_id AND ot_c.owner_country = ${owner}
                 JOIN case_share ot_cs ON ot_cs.case_id = ot_c.id AND ot_cs.country_code = ${country}
                                      AND ot_cs.revoked_at IS NULL
                WHERE ot_cp.person_id = ${person})
    OR EXISTS (SELECT 1 FROM arrest ot_a JOIN arrest_share ot_s ON ot_s.arrest_id = ot_a.id AND ot_s.country_code = ${country}
                WHERE ot_a.person_id = ${person} AND ot_a.arresting_country = ${owner}))`;
}

/**
 * Whether `owner`'s auditors are told of an act of `actor`'s country on `data` (the rule above). A value
 * named in a refusal is held by the actor's country (that is why it was refused): its owner is told only
 * where it gave it itself, by the release recorded for it — bytes by a channel of its own (its case, its
 * arrest, a request it is a side of), a number by a release it made.
 */
export async function ownerIsTold(
  manager: EntityManager,
  owner: string | null | undefined,
  actor: string | null | undefined,
  data: OwnersData,
): Promise<boolean> {
  if (!owner || !actor || owner === actor) return true;
  const ask = async (sql: string, params: unknown[]) =>
    ((await manager.query(`SELECT (${sql}) AS told`, params)) as Array<{ told: boolean }>)[0]?.told ?? true;
  if ('attachment' in data) {
    const [row] = (await manager.query(`SELECT person_id FROM attachment WHERE id = $1`, [
      data.attachment,
    ])) as Array<{
      person_id: string | null;
    }>;
    return row?.person_id ? ownerIsTold(manager, owner, actor, { person: row.person_id }) : true;
  }
  // Before `person`: a number may name the person carrying it too.
  if ('identifier' in data)
    return ask(
      `EXISTS (SELECT 1 FROM identifier_provenance ot_ip
                WHERE ot_ip.identifier = $1::text AND ot_ip.released_by_country = $2::text AND ot_ip.receiving_country = $3::text
                  AND (ot_ip.via_type <> 'request' OR EXISTS (SELECT 1 FROM cross_border_request ot_vr
                                                               WHERE ot_vr.id = ot_ip.via_id AND ot_vr.sent_at IS NOT NULL)))
       OR ($4::uuid IS NOT NULL AND ${personGivenBy('$4::uuid', '$2::text', '$3::text')})`,
      [data.identifier, owner, actor, data.person ?? null],
    );
  if ('person' in data) {
    // Held: the country reads the person now, or a release of it to the country was recorded.
    const params: unknown[] = [data.person, owner, actor];
    const reads = positional(personScope(countryAsWhole(actor), 'ot_p'), params);
    return ask(
      `${personGivenBy('$1::uuid', '$2::text', '$3::text')} OR NOT (
         EXISTS (SELECT 1 FROM person ot_p WHERE ot_p.id = $1::uuid AND ${reads})
         OR EXISTS (SELECT 1 FROM person_provenance ot_h WHERE ot_h.person_id = $1::uuid AND ot_h.receiving_country = $3::text))`,
      params,
    );
  }
  return ask(
    `EXISTS (SELECT 1 FROM file_provenance ot_fp
              WHERE ot_fp.sha256 = $1::text AND ot_fp.originator_country = $2::text AND ot_fp.receiving_country = $3::text
                AND CASE ot_fp.via_type
                  WHEN 'case' THEN EXISTS (SELECT 1 FROM case_file ot_c WHERE ot_c.id = ot_fp.via_id AND ot_c.owner_country = $2::text)
                  WHEN 'arrest' THEN EXISTS (SELECT 1 FROM arrest ot_a WHERE ot_a.id = ot_fp.via_id AND ot_a.arresting_country = $2::text)
                  ELSE EXISTS (SELECT 1 FROM cross_border_request ot_r WHERE ot_r.id = ot_fp.via_id AND ot_r.sent_at IS NOT NULL
                                 AND $2::text IN (ot_r.origin_country, ot_r.target_country))
                END)`,
    [data.file, owner, actor],
  );
}

/**
 * `event`, an act of `actor`'s country on the data of the country it names as owner, as it is written:
 * unchanged where that owner is told of it (`ownerIsTold`); else the acting country's alone
 * (`asActingCountrysOwn`).
 */
export async function inOwnersTrailIfTold(
  manager: EntityManager,
  actor: string | null | undefined,
  event: AuditEventInput,
  data: OwnersData,
  disclose?: string,
): Promise<AuditEventInput> {
  return (await ownerIsTold(manager, event.ownerCountry, actor, data))
    ? event
    : asActingCountrysOwn(event, actor, disclose);
}

/**
 * An event its owner is not told of, as the acting country's alone: owned by it, no counterpart, and the
 * data's owner in `details[disclose]` where the acting country's auditors may read who it is (a record
 * their user saw). Without `disclose` (a probe refused as not found, a value given under RED) the event
 * has no owner at all: the caller was told no more, and neither are they.
 */
export function asActingCountrysOwn(
  event: AuditEventInput,
  actor: string | null | undefined,
  disclose?: string,
): AuditEventInput {
  return {
    ...event,
    ownerCountry: disclose ? (actor ?? null) : null,
    counterpartCountry: null,
    details: disclose ? { ...event.details, [disclose]: event.ownerCountry } : event.details,
  };
}
