import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { caseScope, caseSeenSince } from '../access/scopes';
import type { Actor } from '../common/request-context';
import type { HandlingCode } from '../sharing/handling-code';
import type { CaseFile } from './case-file.entity';

/**
 * What a country reads another country's case through: its live share (the reference it knows the case
 * by, the code it received it under, when) and since when it reads the case (`caseSeenSince`).
 */
export interface PartnerRead {
  reference: string;
  handlingCode: HandlingCode;
  sharedAt: Date;
  seenSince: Date;
}

export interface ReadRaw {
  seen_at: Date;
  share_reference: string | null;
  share_handling_code: HandlingCode | null;
  share_shared_at: Date | null;
}

/**
 * The cases `c` the actor may read (`caseScope`), each with the reader's live share and since when it
 * reads the case, in the statement that checks the scope. Read in a later statement, the share could be
 * gone: a revoke committed in between left a partner's view without its reference, a 500 (probe race 6).
 * Read with `getRawAndEntities` and `partnerReadOf`; `seen_at` is the list's order.
 */
export function readableCases(qb: SelectQueryBuilder<CaseFile>, actor: Actor): SelectQueryBuilder<CaseFile> {
  const scope = caseScope(actor);
  const since = caseSeenSince(actor, 'c');
  // At most one live share per case and country (`case_share_active`), none for the owner.
  return qb
    .leftJoin(
      'case_share',
      'rs',
      'rs.case_id = c.id AND rs.country_code = :reader AND rs.revoked_at IS NULL',
      { reader: actor.countryCode },
    )
    .where(scope.sql, scope.params)
    .setParameters(since.params)
    .addSelect(since.sql, 'seen_at')
    .addSelect('rs.reference', 'share_reference')
    .addSelect('rs.handling_code', 'share_handling_code')
    .addSelect('rs.shared_at', 'share_shared_at');
}

/** The partner's read of a row of `readableCases`; undefined for the owner's own case. */
export function partnerReadOf(raw: ReadRaw): PartnerRead | undefined {
  const { share_reference: reference, share_handling_code: handlingCode, share_shared_at: at } = raw;
  if (reference === null || handlingCode === null || at === null) return undefined;
  return {
    reference,
    handlingCode,
    sharedAt: new Date(at),
    seenSince: new Date(raw.seen_at),
  };
}

/**
 * Takes the reader's country's live share of the case `FOR SHARE` until the running transaction ends
 * and returns its reference, or null when there is none. `revokeShare`'s UPDATE then waits for what the
 * reader does under the share, or the reader finds it gone.
 */
export async function holdLiveShare(
  manager: EntityManager,
  caseId: string,
  country: string | null,
): Promise<string | null> {
  const [share] = (await manager.query(
    `SELECT reference FROM case_share WHERE case_id = $1 AND country_code = $2 AND revoked_at IS NULL FOR SHARE`,
    [caseId, country],
  )) as Array<{ reference: string }>;
  return share?.reference ?? null;
}
