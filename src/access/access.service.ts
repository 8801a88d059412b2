import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { ForbiddenError, NotFoundError } from '../common/errors/domain-errors';
import type { RequestContext } from '../common/request-context';

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
    return this.audit.recordIndependently(ctx, {
      action: 'access.denied',
      outcome: 'denied',
      recordType: record.recordType,
      recordId: record.recordId,
      ownerCountry: record.ownerCountry ?? null,
      details: { reason },
    });
  }
}
