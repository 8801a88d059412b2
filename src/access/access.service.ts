import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ForbiddenError, NotFoundError } from '../common/errors/domain-errors';
import type { RequestContext } from '../common/request-context';
import { UUID } from '../common/http/validators';
import { inOwnersTrailIfTold, OwnersData } from './owner-trail';

/** The country that owns a record, by record type: where a denial about it is written. */
const OWNER_OF: Record<string, string> = {
  case: `SELECT owner_country::text AS owner FROM case_file WHERE id = $1`,
  person: `SELECT owner_country::text AS owner FROM person WHERE id = $1`,
  request: `SELECT origin_country::text AS owner FROM cross_border_request WHERE id = $1`,
  blacklist_entry: `SELECT proposing_country::text AS owner FROM blacklist_entry WHERE id = $1`,
  arrest: `SELECT arresting_country::text AS owner FROM arrest WHERE id = $1`,
  user: `SELECT country_code::text AS owner FROM app_user WHERE id = $1`,
  screening: `SELECT country_code::text AS owner FROM screening WHERE id = $1`,
};

export interface DeniedRecord {
  recordType: string;
  recordId: string;
  ownerCountry?: string | null;
}

/**
 * The one place that answers "may this caller see or act on this record". Services ask it first;
 * list queries apply the same rules in SQL through the scope functions next to it. A record the
 * caller may not see answers 404 exactly like one that does not exist; every refusal is audited.
 */
@Injectable()
export class AccessService {
  constructor(private readonly audit: AuditService) {}

  /** Refuses as if the record did not exist. */
  async notFound(ctx: RequestContext, record: DeniedRecord, what: string): Promise<never> {
    await this.recordDenial(ctx, record, 'not-visible');
    throw new NotFoundError(what);
  }

  /** Refuses a visible record that the caller may not change. */
  async forbidden(ctx: RequestContext, record: DeniedRecord, detail: string): Promise<never> {
    await this.recordDenial(ctx, record, 'not-allowed');
    throw new ForbiddenError(detail);
  }

  private recordDenial(ctx: RequestContext, record: DeniedRecord, reason: string): Promise<void> {
    // Written in its own transaction: the refused request's transaction rolls back, the denial stays.
    // The owner is looked up there when the caller could not be told it: the owner's auditors see who
    // probed or tried to change their records (the caller still gets the same 404 as for a record that
    // does not exist) — unless the caller's country holds the record only because a third country passed
    // it on (owner-trail.ts): then it is the caller's country's alone, with the owner named to its
    // auditors only where their user saw the record (a 403, not a 404).
    const actor = ctx.actor?.kind === 'user' ? ctx.actor.countryCode : null;
    return this.audit.recordIndependently(
      ctx,
      {
        action: 'access.denied',
        outcome: 'denied',
        recordType: record.recordType,
        recordId: record.recordId,
        ownerCountry: record.ownerCountry ?? null,
        details: { reason },
      },
      async (manager, event) => {
        const owned =
          record.ownerCountry === undefined
            ? { ...event, ownerCountry: await ownerOf(manager, record) }
            : event;
        const data = OWNERS_DATA[record.recordType]?.(record.recordId);
        if (!data || !UUID.test(record.recordId)) return owned;
        return inOwnersTrailIfTold(
          manager,
          actor,
          owned,
          data,
          reason === 'not-allowed' ? 'recordOwner' : undefined,
        );
      },
    );
  }
}

/** The refused records another country can hold without their owner having given them (owner-trail.ts). */
const OWNERS_DATA: Record<string, ((id: string) => OwnersData) | undefined> = {
  person: (id) => ({ person: id }),
  attachment: (id) => ({ attachment: id }),
};

/** The owner country of a refused record, or null for a record that does not exist. */
export async function ownerOf(manager: EntityManager, record: DeniedRecord): Promise<string | null> {
  const sql = OWNER_OF[record.recordType];
  if (!sql || !UUID.test(record.recordId)) return null;
  const [row]: Array<{ owner: string | null }> = await manager.query(sql, [record.recordId]);
  return row?.owner ?? null;
}
