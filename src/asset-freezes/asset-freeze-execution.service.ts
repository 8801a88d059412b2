import { eventTimeBeforeDesk } from '../common/time/plausible-dates';
import type { OutgoingText } from '../sharing/identifier-keys';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { NotFoundError, ValidationFailedError } from '../common/errors/domain-errors';
import { actorOf, RequestContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { TransactionService } from '../database/transaction.service';
import type { CrossBorderRequest } from '../workflow/cross-border-request.entity';
import { WorkflowService } from '../workflow/workflow.service';
import { LedgerConflictError } from './asset-freeze-errors';
import { AssetFreezeRequestsService } from './asset-freeze-requests.service';
import { STEP_ACTIONS } from './asset-freeze-view';
import type {
  AssetFreezeRequestView,
  CloseOutStepDto,
  FreezeStepDto,
  PositiveMoneyDto,
  RecoverStepDto,
  ReleaseStepDto,
  ReturnStepDto,
} from './dto/asset-freeze-request.dto';
import {
  applyCloseOut,
  applyFreeze,
  applyRecover,
  applyRelease,
  applyReturn,
  LedgerStep,
  LedgerViolation,
  stillFrozen,
  TargetLedger,
} from './freeze-ledger';
import {
  FreezeTargetRow,
  ledgerOf,
  lockTarget,
  saveTargetLedger,
  TargetStepColumns,
} from './freeze-targets.store';
import { Amount, formatAmount, Money } from './money';

const KIND = 'asset_freeze' as const;

interface StepInput {
  version: number;
  comment?: string;
  amount?: PositiveMoneyDto;
  /** Applies the step to the ledger (throws LedgerViolation when the money rules forbid it). */
  apply: (ledger: TargetLedger, amount: Amount | null) => TargetLedger;
  /** Extra columns to set on the target, and details kept with the step. */
  columns?: (row: FreezeTargetRow, now: Date) => TargetStepColumns;
  details: Record<string, unknown>;
  outcome?: string;
  /** Checks the step's input against the request, inside its transaction. */
  check?: () => Promise<void>;
}

/**
 * Execution of an accepted freeze request by the target country, one target at a time: freeze, recover,
 * return to victims, release, close out. Each step is an in-state transition of the request engine (so the
 * state, the caller's side and role, the version and the history are the engine's), and inside it the
 * target row is locked, the money rules applied, the step recorded and audited, all in one transaction.
 */
@Injectable()
export class AssetFreezeExecutionService {
  constructor(
    private readonly tx: TransactionService,
    private readonly workflow: WorkflowService,
    private readonly audit: AuditService,
    private readonly requests: AssetFreezeRequestsService,
    private readonly clock: Clock,
  ) {}

  freeze(
    ctx: RequestContext,
    id: string,
    targetId: string,
    dto: FreezeStepDto,
  ): Promise<AssetFreezeRequestView> {
    if (dto.outcome !== 'frozen' && dto.amount !== undefined)
      throw new ValidationFailedError([
        { field: 'amount', message: `amount must be absent when the outcome is '${dto.outcome}'` },
      ]);
    if (dto.frozenAt && Date.parse(dto.frozenAt) > this.clock.now().getTime() + 60_000)
      throw new ValidationFailedError([{ field: 'frozenAt', message: 'frozenAt cannot be in the future' }]);
    const early = eventTimeBeforeDesk('frozenAt', dto.frozenAt);
    if (early.length) throw new ValidationFailedError(early);
    return this.execute(ctx, id, targetId, 'freeze', {
      ...dto,
      outcome: dto.outcome,
      apply: (ledger, amount) => applyFreeze(ledger, dto.outcome, amount),
      columns: (row, now) => ({
        institution_reference: dto.institutionReference ?? row.institution_reference,
        frozen_at:
          row.frozen_at ?? (dto.outcome === 'frozen' ? (dto.frozenAt ? new Date(dto.frozenAt) : now) : null),
      }),
      details: { institutionReference: dto.institutionReference ?? null, frozenAt: dto.frozenAt ?? null },
    });
  }

  recover(
    ctx: RequestContext,
    id: string,
    targetId: string,
    dto: RecoverStepDto,
  ): Promise<AssetFreezeRequestView> {
    return this.execute(ctx, id, targetId, 'recover', {
      ...dto,
      apply: (ledger, amount) => applyRecover(ledger, amount!),
      details: { disposition: dto.disposition, decision: dto.decision ?? null },
    });
  }

  returnFunds(
    ctx: RequestContext,
    id: string,
    targetId: string,
    dto: ReturnStepDto,
  ): Promise<AssetFreezeRequestView> {
    return this.execute(ctx, id, targetId, 'return', {
      ...dto,
      apply: (ledger, amount) => applyReturn(ledger, amount!),
      check: () => this.requireVictimOfRequest(id, dto.recipient.personId),
      details: {
        recipient: { name: dto.recipient.name, personId: dto.recipient.personId ?? null },
        decision: dto.decision,
      },
    });
  }

  /**
   * Funds go back to a person the request names (a victim both sides see), so a return never carries
   * the id of a person the origin country was not given.
   */
  private async requireVictimOfRequest(requestId: string, personId: string | undefined): Promise<void> {
    if (!personId) return;
    const rows: unknown[] = await this.tx.manager.query(
      `SELECT 1 FROM request_person WHERE request_id = $1 AND person_id = $2`,
      [requestId, personId],
    );
    if (!rows.length)
      throw new ValidationFailedError([
        { field: 'recipient.personId', message: 'recipient.personId must name a person this request names' },
      ]);
  }

  release(
    ctx: RequestContext,
    id: string,
    targetId: string,
    dto: ReleaseStepDto,
  ): Promise<AssetFreezeRequestView> {
    return this.execute(ctx, id, targetId, 'release', {
      ...dto,
      apply: (ledger, amount) => applyRelease(ledger, amount!),
      details: { reason: dto.reason },
    });
  }

  closeOut(
    ctx: RequestContext,
    id: string,
    targetId: string,
    dto: CloseOutStepDto,
  ): Promise<AssetFreezeRequestView> {
    return this.execute(ctx, id, targetId, 'closeOut', {
      ...dto,
      apply: (ledger) => applyCloseOut(ledger),
      columns: (_row, now) => ({ closed_out_at: now, close_out_reason: dto.reason }),
      details: { reason: dto.reason },
    });
  }

  private async execute(
    ctx: RequestContext,
    id: string,
    targetId: string,
    step: LedgerStep,
    input: StepInput,
  ): Promise<AssetFreezeRequestView> {
    const actor = actorOf(ctx);
    const request = await this.workflow.transition(ctx, KIND, id, STEP_ACTIONS[step], {
      version: input.version,
      comment: input.comment,
      // The step's free text goes to the origin (the engine weighs it with the comment).
      texts: textsOf(input.details),
      prepare: async (current: CrossBorderRequest) => {
        await input.check?.();
        const row = await lockTarget(this.tx.manager, id, targetId);
        if (!row) throw new NotFoundError('The target');
        if (input.amount && input.amount.currency !== row.currency)
          throw new ValidationFailedError([
            {
              field: 'amount.currency',
              message: `amount.currency must be ${row.currency}, the currency of this target`,
            },
          ]);
        const amount = input.amount ? new Money(input.amount.amount) : null;
        const before = ledgerOf(row);
        let after: TargetLedger;
        try {
          after = input.apply(before, amount);
        } catch (error) {
          if (error instanceof LedgerViolation) throw new LedgerConflictError(error.message, targetId);
          throw error;
        }
        const now = this.clock.now();
        const extra = input.columns?.(row, now) ?? {};
        await saveTargetLedger(this.tx.manager, targetId, after, extra);
        await this.tx.manager.query(
          `INSERT INTO asset_freeze_step (request_id, target_id, step, outcome, amount, currency, details, actor_user_id, actor_username, actor_country)
           VALUES ($1, $2, $3, $4, $5::numeric, $6, $7, $8, $9, $10)`,
          [
            id,
            targetId,
            step,
            input.outcome ?? null,
            amount ? amount.toFixed() : null,
            amount ? row.currency : null,
            JSON.stringify({ ...input.details, comment: input.comment ?? null }),
            actor.userId,
            actor.username,
            actor.countryCode,
          ],
        );
        await this.audit.record(ctx, {
          action: `asset_freeze.target.${step}`,
          recordType: 'asset_freeze_target',
          recordId: targetId,
          ownerCountry: current.originCountry,
          counterpartCountry: current.targetCountry,
          before: ledgerJson(before, row.currency),
          after: ledgerJson(after, row.currency),
          details: {
            requestId: id,
            reference: current.reference,
            amount: amount ? { amount: formatAmount(amount), currency: row.currency } : null,
            ...input.details,
          },
        });
        return {};
      },
    });
    return this.requests.viewFor(actor, request);
  }
}

/** Every string in a step's details, however deep (a return's `recipient.name`), named by its path. */
function textsOf(value: unknown, field = ''): OutgoingText {
  if (typeof value === 'string') return [[field, value]];
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    textsOf(inner, Array.isArray(value) ? `${field}[${key}]` : field ? `${field}.${key}` : key),
  );
}

function ledgerJson(l: TargetLedger, currency: string): Record<string, unknown> {
  return {
    currency,
    outcome: l.outcome,
    frozen: formatAmount(l.frozen),
    recovered: formatAmount(l.recovered),
    returned: formatAmount(l.returned),
    released: formatAmount(l.released),
    stillFrozen: formatAmount(stillFrozen(l)),
    closedOut: l.closedOut,
  };
}
