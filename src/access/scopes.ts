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
 * The origin sees its requests in every state; the target only from `sent` on, and a RED request only
 * by its liaisons and the officer it is assigned to (TLP 2.0).
 */
export function requestScope(actor: Actor, alias = 'r'): Scope {
  if (!actor.countryCode) return NOTHING;
  const liaison = actor.roles.includes('liaison');
  return {
    sql: `(${alias}.origin_country = :accCountry OR (${alias}.target_country = :accCountry AND ${alias}.sent_at IS NOT NULL
      AND (${alias}.handling_code <> 'RED' OR ${liaison ? 'true' : 'false'} OR ${alias}.assigned_to = :accUser)))`,
    params: { accCountry: actor.countryCode, accUser: actor.userId },
  };
}

/** A person is visible to their owner, and wherever a visible case or request links to them. */
export function personScope(actor: Actor, alias = 'p'): Scope {
  if (!actor.countryCode) return NOTHING;
  const cases = caseScope(actor, 'acc_c');
  const requests = requestScope(actor, 'acc_r');
  return {
    sql: `(${alias}.owner_country = :accCountry
      OR EXISTS (SELECT 1 FROM case_person acc_cp JOIN case_file acc_c ON acc_c.id = acc_cp.case_id
                 WHERE acc_cp.person_id = ${alias}.id AND ${cases.sql})
      OR EXISTS (SELECT 1 FROM request_person acc_rp JOIN cross_border_request acc_r ON acc_r.id = acc_rp.request_id
                 WHERE acc_rp.person_id = ${alias}.id AND ${requests.sql}))`,
    params: { ...cases.params, ...requests.params },
  };
}

/**
 * An arrest is visible to the arresting country, to a country it was shared with explicitly, and to the
 * arrested person's country of nationality once a repatriation request for that arrest is visible to it
 * (for the target: from `sent` on, with the request's own TLP rules).
 */
export function arrestScope(actor: Actor, alias = 'a'): Scope {
  if (!actor.countryCode) return NOTHING;
  const requests = requestScope(actor, 'acc_r');
  return {
    sql: `(${alias}.arresting_country = :accCountry
      OR EXISTS (SELECT 1 FROM arrest_share acc_as WHERE acc_as.arrest_id = ${alias}.id AND acc_as.country_code = :accCountry)
      OR (${alias}.nationality = :accCountry AND EXISTS (
            SELECT 1 FROM repatriation_person acc_rp JOIN cross_border_request acc_r ON acc_r.id = acc_rp.request_id
             WHERE acc_rp.arrest_id = ${alias}.id AND ${requests.sql})))`,
    params: { ...requests.params },
  };
}
