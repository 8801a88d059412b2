import { Injectable } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import { ArrestsService } from '../arrests/arrests.service';
import { CasesService } from '../cases/cases.service';
import { actorOf, RequestContext } from '../common/request-context';
import { PersonsService } from '../persons/persons.service';
import { TERMINAL_STATUSES } from '../workflow/request-lifecycle';
import { BlacklistService } from '../blacklist/blacklist.service';
import { TransactionService } from '../database/transaction.service';
import { CrossBorderRequest } from '../workflow/cross-border-request.entity';
import { NoActiveFrameworkError } from '../sharing/release-refused.error';
import { WorkflowService } from '../workflow/workflow.service';
import { AttachmentNotAcceptedNowError } from './attachment-errors';
import type { ParentType } from './attachments.store';

/** A record attachments hang on, as far as attachments care. */
export interface ParentRecord {
  type: ParentType;
  id: string;
  /** The country that owns the parent: the owner of its attachments and of their audit events. */
  ownerCountry: string;
  /** For a request: the other country; attachments travel with the request to both sides. */
  counterpartCountry: string | null;
  /** The request the record travels with (a request, a freeze target's, a blacklist entry's proposal). */
  travelsWith?: CrossBorderRequest;
  /** Who may add an attachment to it now, or why not. */
  uploadRefusal(countryCode: string | null): { status: 403 | 409; detail: string } | null;
}

/**
 * Attachments reuse each parent's own "find visible" (404 exactly like a missing record, denial
 * audited) instead of restating who sees what; the only rule added here is who may attach:
 * the owner country of a case, person or arrest (a country it is shared with only reads); for an
 * information request and a freeze target either side while the request is open — the target once it
 * has accepted the request (what it found, what it froze); for a blacklist entry the proposing country
 * while its proposal is open (the passport scan, the photo behind the proposal).
 */
@Injectable()
export class AttachmentParents {
  constructor(
    private readonly cases: CasesService,
    private readonly persons: PersonsService,
    private readonly workflow: WorkflowService,
    private readonly arrests: ArrestsService,
    private readonly blacklist: BlacklistService,
    private readonly access: AccessService,
    private readonly tx: TransactionService,
  ) {}

  /**
   * `requestId`: for a freeze target, the request in the route (the target must belong to it). `hold`
   * (inside an upload's transaction): a freeze target or a blacklist entry is held against its deletion
   * until the file is recorded — a draft's edit may take one off (`lockTargetsOf`, `lockEntriesOf`, then
   * a check for files): one of the two waits for the other, and the upload finds it gone (404) or the
   * edit finds the file.
   */
  async findVisible(
    ctx: RequestContext,
    type: ParentType,
    id: string,
    requestId?: string,
    hold = false,
  ): Promise<ParentRecord> {
    const ownerOnly = (ownerCountry: string, what: string) => (country: string | null) =>
      country === ownerCountry
        ? null
        : { status: 403 as const, detail: `Only the country that owns the ${what} may attach files to it.` };
    switch (type) {
      case 'case': {
        const c = await this.cases.findVisible(ctx, id);
        return {
          type,
          id,
          ownerCountry: c.ownerCountry,
          counterpartCountry: null,
          uploadRefusal: ownerOnly(c.ownerCountry, 'case'),
        };
      }
      case 'person': {
        const p = await this.persons.findVisible(ctx, id);
        return {
          type,
          id,
          ownerCountry: p.ownerCountry,
          counterpartCountry: null,
          uploadRefusal: ownerOnly(p.ownerCountry, 'person'),
        };
      }
      case 'arrest': {
        const a = await this.arrests.findVisible(ctx, id);
        return {
          type,
          id,
          ownerCountry: a.arresting_country,
          counterpartCountry: null,
          uploadRefusal: ownerOnly(a.arresting_country, 'arrest'),
        };
      }
      case 'request':
        return bothSides(type, id, await this.workflow.findVisible(ctx, 'information', id));
      case 'asset_freeze_target': {
        const r = await this.workflow.findVisible(ctx, 'asset_freeze', requestId ?? '');
        const [target] = (await this.tx.manager.query(
          `SELECT 1 FROM asset_freeze_target WHERE id = $1 AND request_id = $2${hold ? ' FOR KEY SHARE' : ''}`,
          [id, r.id],
        )) as unknown[];
        if (!target)
          return this.access.notFound(
            ctx,
            { recordType: 'asset_freeze_target', recordId: id, ownerCountry: r.originCountry },
            'The freeze target',
          );
        return bothSides(type, id, r);
      }
      case 'blacklist_entry': {
        const e = await this.blacklist.findVisible(ctx, id);
        if (hold) {
          const [entry] = (await this.tx.manager.query(
            `SELECT 1 FROM blacklist_entry WHERE id = $1 FOR KEY SHARE`,
            [id],
          )) as unknown[];
          if (!entry)
            return this.access.notFound(
              ctx,
              { recordType: 'blacklist_entry', recordId: id, ownerCountry: e.proposingCountry },
              'The blacklist entry',
            );
        }
        const proposal = await this.tx.manager.findOneByOrFail(CrossBorderRequest, { id: e.proposalId });
        return {
          type,
          id,
          ownerCountry: e.proposingCountry,
          counterpartCountry: e.banningCountry,
          travelsWith: proposal,
          uploadRefusal: (country) => {
            if (country !== e.proposingCountry)
              return {
                status: 403,
                detail: 'Only the proposing country attaches files to a blacklist entry.',
              };
            if (TERMINAL_STATUSES.includes(proposal.status))
              return {
                status: 409,
                detail: `The proposal is ${proposal.status}; it takes no more attachments.`,
              };
            return null;
          },
        };
      }
    }
  }

  /** Visible, and the caller's country may attach to it now: 404, 403 or 409 otherwise. */
  async findForUpload(
    ctx: RequestContext,
    type: ParentType,
    id: string,
    requestId?: string,
  ): Promise<ParentRecord> {
    const parent = await this.findVisible(ctx, type, id, requestId, this.tx.inTransaction);
    const refusal = parent.uploadRefusal(actorOf(ctx).countryCode);
    if (refusal?.status === 403)
      await this.access.forbidden(
        ctx,
        { recordType: type, recordId: id, ownerCountry: parent.ownerCountry },
        refusal.detail,
      );
    if (refusal) throw new AttachmentNotAcceptedNowError(refusal.detail);
    // A file is something new for the other side: as a message, it needs the framework the request
    // relies on once the request is sent (another framework joining the two countries does not do).
    const request = parent.travelsWith;
    if (request?.sentAt && !(await this.workflow.frameworkActive(request))) {
      const country = actorOf(ctx).countryCode!;
      throw new NoActiveFrameworkError(
        country,
        country === request.originCountry ? request.targetCountry : request.originCountry,
      );
    }
    return parent;
  }
}

/** A record that travels with a request: the origin attaches while it is open, the target once accepted. */
function bothSides(type: ParentType, id: string, r: CrossBorderRequest): ParentRecord {
  return {
    type,
    id,
    ownerCountry: r.originCountry,
    counterpartCountry: r.targetCountry,
    travelsWith: r,
    uploadRefusal: (country) => {
      if (TERMINAL_STATUSES.includes(r.status))
        return { status: 409, detail: `The request is ${r.status}; it takes no more attachments.` };
      if (country === r.originCountry) return null;
      if (r.status === 'accepted' || r.status === 'fulfilled') return null;
      return { status: 409, detail: 'The target attaches files once it has accepted the request.' };
    },
  };
}
