import type { EntityManager } from 'typeorm';
import { ConflictError } from '../common/errors/domain-errors';
import type { Actor } from '../common/request-context';

/**
 * A proposal would pass a person's record on to the banning country: refused, like any release the
 * rule does not allow. The detail names the row, never the record's owner or anything of its content.
 */
export class ProposalReleaseRefusedError extends ConflictError {
  override readonly code = 'release-refused';
  override readonly title = 'Release refused';
  constructor(field: string) {
    super(`${field}: only a person your country owns can be proposed for a blacklist; nothing was recorded.`);
    this.extensions.errors = [{ field, message: 'only a person your country owns can be proposed' }];
  }
}

/**
 * May the proposing country pass this person on to the banning country in a blacklist proposal? For
 * now: only a person it owns. The one place to widen once the general release rule (`src/sharing/`)
 * exists ("…or may pass on under the rule"). The caller has already checked the person is visible.
 */
export async function mayProposePerson(
  manager: EntityManager,
  actor: Actor,
  personId: string,
  _banningCountry: string,
): Promise<boolean> {
  const rows: unknown[] = await manager.query(`SELECT 1 FROM person WHERE id = $1 AND owner_country = $2`, [
    personId,
    actor.countryCode,
  ]);
  return rows.length > 0;
}
