import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { returningRows } from '../database/returning';

/**
 * Human references.
 *
 * - A **case** is numbered per owner country and year when it is created (`KR-CASE-2026-000042`), a
 *   name for its owner's users only; each share of it is numbered per owner, recipient and year
 *   (`KR-MY-CASE-2026-000003`), the name the recipient reads, so a partner learns only how many cases
 *   were shared with it.
 * - A **cross-border request** is numbered when it leaves its country (`approve`, the step to `sent`),
 *   per origin, target, kind and year (`KR-KH-INF-2026-000042`). Until then it has no reference, only a
 *   draft id (`DRAFT-1A2B3C4D`) for the origin's own users: a partner learns only how many requests of
 *   that kind it received from that origin, never how many the origin drafted or sent elsewhere.
 * - A **RED request** is not numbered: in the target country only its named recipients read it (its
 *   liaisons and the officer it is assigned to), and a number drawn from the series every officer reads
 *   would leave a gap there telling them that a request they may not read was sent, when, and of which
 *   kind (probe r14 #4). It gets the same prefix with `R` and eight random characters instead of the
 *   number (`KR-KH-INF-2026-R7KQ4M2XP`, `redReferenceSuffix`), which counts nothing (not even the RED
 *   requests assigned to others), and it draws no number, so the pair's series has no gap for it.
 *
 * Numbers are gap-free: a counter row per series is incremented in the numbering transaction and stays
 * locked until it ends, so a rolled-back or refused command uses no number. Both hold that lock only
 * briefly: a case is numbered by the create's last statement before COMMIT (see `numberCase`), a request
 * by its approve, a transaction of a few statements that numbers one request.
 */

/** A request's name before it is sent: `DRAFT-` and the first 8 hex digits of its id, upper-cased. */
export function draftIdOf(requestId: string): string {
  return `DRAFT-${requestId.slice(0, 8).toUpperCase()}`;
}

/** The same as `draftIdOf`, in SQL, for a uuid column or expression. */
export const draftIdSql = (idColumn: string) => `'DRAFT-' || upper(left(${idColumn}::text, 8))`;

/** How users name a request, in SQL for a table alias of `cross_border_request`: its reference once sent, its draft id before. */
export const requestLabelSql = (alias: string) =>
  `coalesce(${alias}.reference, ${draftIdSql(`${alias}.id`)})`;

/** The number part: at least six digits. */
export const numberSql = (column: string) =>
  `lpad(${column}::text, greatest(6, length(${column}::text)), '0')`;

/**
 * Gives a case created in the running transaction its reference, `KR-CASE-2026-000042`, in one
 * statement. Called just before COMMIT (see `TransactionService.beforeCommit`): the counter row stays
 * locked until the commit, which keeps numbers gap-free, but only for the commit itself, so concurrent
 * creates of one country do not queue behind each other's whole transaction (their persons, links,
 * release checks), only behind each other's COMMIT. A PostgreSQL SEQUENCE would take no lock at all, but
 * leaves a gap for every rolled-back create; a number drawn in a transaction of its own could not roll
 * back with a create that fails after it.
 */
export async function numberCase(
  manager: EntityManager,
  caseId: string,
  country: string,
  year: number,
): Promise<string> {
  const [row] = await returningRows<{ reference: string }>(
    manager,
    `WITH counter AS (
       INSERT INTO reference_counter (country_code, kind, year, last_value) VALUES ($1, 'CASE', $2, 1)
       ON CONFLICT (country_code, kind, year) DO UPDATE SET last_value = reference_counter.last_value + 1
       RETURNING last_value)
     UPDATE case_file f
        SET reference = $1 || '-CASE-' || $2 || '-' || ${numberSql('c.last_value')}
       FROM counter c WHERE f.id = $3
     RETURNING f.reference`,
    [country, year, caseId],
  );
  if (!row) throw new Error(`case ${caseId} to number does not exist`);
  return row.reference;
}

/** Crockford's base 32 (no I, L, O, U): read aloud and typed back without confusion. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The part of a RED request's reference that takes the place of the number: `R` and 8 characters of
 * Crockford's base 32 from 40 random bits (`R7KQ4M2XP`). The letter tells it from a number at a glance
 * (a number is digits only).
 */
export function redReferenceSuffix(): string {
  const bytes = randomBytes(5);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 7; i >= 0; i--) out += CROCKFORD[Number((bits >> BigInt(i * 5)) & 31n)];
  return `R${out}`;
}

/**
 * Gives a request its reference as it is approved (sent), `KR-KH-INF-2026-000042`, in one statement:
 * gap-free per origin, target, kind and year. The approve's transaction calls it just before its own
 * conditional UPDATE of status and version, with the same condition, so of two concurrent approves of one
 * request only one numbers it (the other finds no row, gets null and rolls back, its count with it).
 * The counter row stays locked until that transaction ends: only approves of the same origin–target pair
 * and kind wait for each other, and only for the rest of a short transaction (the status change, its
 * history row, audit event and notification, the commit); creating and editing drafts never touch it.
 *
 * A RED request draws no number (see the top of this file): `referenceRedRequest`.
 */
export async function numberSentRequest(
  manager: EntityManager,
  request: { id: string; originCountry: string; targetCountry: string; status: string; handlingCode: string },
  expectedVersion: number,
  kindPrefix: string,
  year: number,
): Promise<string | null> {
  if (request.handlingCode === 'RED')
    return referenceRedRequest(manager, request, expectedVersion, kindPrefix, year);
  const [row] = await returningRows<{ reference: string }>(
    manager,
    `WITH counter AS (
       INSERT INTO request_reference_counter (origin_country, target_country, kind, year, last_value)
       VALUES ($1, $2, $3, $4, 1)
       ON CONFLICT (origin_country, target_country, kind, year)
       DO UPDATE SET last_value = request_reference_counter.last_value + 1
       RETURNING last_value)
     UPDATE cross_border_request r
        SET reference = $1 || '-' || $2 || '-' || $3 || '-' || $4 || '-' || ${numberSql('c.last_value')}
       FROM counter c
      WHERE r.id = $5 AND r.status = $6 AND r.version = $7 AND r.reference IS NULL AND r.handling_code <> 'RED'
     RETURNING r.reference`,
    [
      request.originCountry,
      request.targetCountry,
      kindPrefix,
      year,
      request.id,
      request.status,
      expectedVersion,
    ],
  );
  return row?.reference ?? null;
}

/**
 * A RED request's reference, `KR-KH-INF-2026-R7KQ4M2XP`: the series' prefix and a random suffix
 * (`redReferenceSuffix`), on the same condition as `numberSentRequest` and with no counter (no lock, no
 * number used). Null when the request changed (the caller's conflict). A suffix already taken (a chance
 * of one in 2^40 for each RED reference the prefix already has) is drawn again; two approves drawing
 * the same one at the same instant would meet the unique index on `reference`, and the later one fail
 * as a whole (nothing written).
 */
async function referenceRedRequest(
  manager: EntityManager,
  request: { id: string; originCountry: string; targetCountry: string; status: string },
  expectedVersion: number,
  kindPrefix: string,
  year: number,
): Promise<string | null> {
  const prefix = `${request.originCountry}-${request.targetCountry}-${kindPrefix}-${year}-`;
  for (let attempt = 0; attempt < 5; attempt++) {
    const [row] = await returningRows<{ reference: string | null; taken: boolean }>(
      manager,
      `WITH candidate AS (
         SELECT $1::text AS reference,
                EXISTS (SELECT 1 FROM cross_border_request o WHERE o.reference = $1) AS taken),
       numbered AS (
         UPDATE cross_border_request r SET reference = c.reference
           FROM candidate c
          WHERE NOT c.taken AND r.id = $2 AND r.status = $3 AND r.version = $4 AND r.reference IS NULL
            AND r.handling_code = 'RED'
         RETURNING r.reference)
       SELECT (SELECT reference FROM numbered) AS reference, (SELECT taken FROM candidate) AS taken`,
      [`${prefix}${redReferenceSuffix()}`, request.id, request.status, expectedVersion],
    );
    if (row?.reference) return row.reference;
    if (!row?.taken) return null;
  }
  throw new Error(`no free RED reference drawn for request ${request.id} in 5 attempts`);
}
