import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { ValidationFailedError } from '../common/errors/domain-errors';
import { draftIdSql } from '../common/references';
import { Actor, actorOf, RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import { PersonsService } from '../persons/persons.service';
import { freezeTargetKeys, numbersInAll } from '../sharing/identifier-keys';
import { Outgoing, ReleaseService } from '../sharing/release.service';
import { IdentifierReleaseService } from '../sharing/identifier-release.service';
import type { CrossBorderRequest } from '../workflow/cross-border-request.entity';
import { RequestKindRegistry } from '../workflow/request-kind-registry';
import { RequestViewsService } from '../workflow/request-views.service';
import { newRequest, RequestDraftsService } from '../workflow/request-drafts.service';
import { DuplicateFreezeTargetError } from './asset-freeze-errors';
import { assetFreezeExtras } from './asset-freeze-view';
import { ASSET_FREEZE_KIND } from './asset-freeze.kind';
import type {
  AssetFreezeRequestView,
  CreateAssetFreezeRequestDto,
  FreezeTargetDto,
} from './dto/asset-freeze-request.dto';
import { closeTargetsOf, targetsAndStepsOf } from './freeze-targets.store';
import { formatAmount, Money } from './money';
import {
  Chain,
  normaliseAccountNumber,
  normaliseInstitutionCode,
  normaliseWalletAddress,
} from '../common/accounts/wallet-address';
import { requireOwnCase } from '../cases/own-case';

const KIND = 'asset_freeze' as const;
const BANK_FIELDS = ['institutionName', 'institutionCode', 'accountNumber', 'borrowedName'] as const;
const WALLET_FIELDS = ['chain', 'address', 'exchangeName'] as const;

/**
 * Asset freeze requests: the origin lists bank accounts and crypto wallets with the amounts sought and the
 * grounds; the target executes them account by account (AssetFreezeExecutionService). Built on the request
 * engine: life cycle, visibility, history and audit are the engine's.
 */
@Injectable()
export class AssetFreezeRequestsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly drafts: RequestDraftsService,
    private readonly views: RequestViewsService,
    private readonly persons: PersonsService,
    private readonly audit: AuditService,
    private readonly release: ReleaseService,
    private readonly identifierRelease: IdentifierReleaseService,
    kinds: RequestKindRegistry,
  ) {
    kinds.register(ASSET_FREEZE_KIND, {
      viewExtras: async (_actor, items) => {
        const { targets, steps } = await targetsAndStepsOf(
          this.tx.manager,
          items.map((i) => i.request.id),
        );
        return items.map(({ request, actions }) =>
          assetFreezeExtras(
            targets.filter((x) => x.request_id === request.id),
            steps.filter((x) => x.request_id === request.id),
            actions,
          ),
        );
      },
      onTransitionEnd: (_ctx, { action, before }) => this.closeTargetsWhenDone(action, before),
    });
  }

  /** The duplicate key of a target: institution code + normalised account number, or chain + address. */
  static targetKey(t: FreezeTargetDto): string {
    return t.type === 'bank_account'
      ? `bank:${normaliseInstitutionCode(t.institutionCode!)}:${normaliseAccountNumber(t.accountNumber!)}`
      : `wallet:${t.chain}:${normaliseWalletAddress(t.chain as Chain, t.address!)}`;
  }

  async create(ctx: RequestContext, dto: CreateAssetFreezeRequestDto): Promise<AssetFreezeRequestView> {
    const actor = actorOf(ctx);
    const request = await this.tx.run(async () => {
      await requireOwnCase(this.tx.manager, dto.caseId, actor.countryCode);
      const foreign = dto.targets.flatMap((t, i) =>
        (t.type === 'bank_account' ? WALLET_FIELDS : BANK_FIELDS)
          .filter((f) => t[f] !== undefined)
          .map((f) => ({
            field: `targets[${i}].${f}`,
            message: `${f} does not belong on a ${t.type} target`,
          })),
      );
      if (foreign.length) throw new ValidationFailedError(foreign);
      const keys = dto.targets.map((t) => AssetFreezeRequestsService.targetKey(t));
      const errors = keys.flatMap((key, i) => {
        const first = keys.indexOf(key);
        return first < i
          ? [
              {
                field: `targets[${i}]`,
                message: `targets[${i}] is the same account or wallet as targets[${first}]`,
              },
            ]
          : [];
      });
      if (errors.length) throw new ValidationFailedError(errors);
      const persons: Outgoing[] = [];
      for (const [i, t] of dto.targets.entries()) {
        if (t.personId) {
          await this.persons.requireVisible(ctx, [t.personId], `targets[${i}].personId`);
          persons.push({ personId: t.personId, field: `targets[${i}].personId` });
        }
        for (const [j, v] of (t.grounds.victimLosses ?? []).entries()) {
          const field = `targets[${i}].grounds.victimLosses[${j}].personId`;
          await this.persons.requireVisible(ctx, [v.personId], field);
          persons.push({ personId: v.personId, field });
        }
      }

      const request = await this.drafts.createDraft(
        ctx,
        newRequest(KIND, dto, { targetCount: dto.targets.length }),
      );
      // Inserted in the order of their keys, whatever the order written: an insert waits on another
      // draft's uncommitted row of the same account, so two drafts naming the same accounts in other
      // orders deadlocked (a 500). One order makes the later draft wait, then find them taken (409).
      const targetIds: string[] = [];
      const byKey = dto.targets
        .map((_, i) => i)
        .sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
      for (const i of byKey)
        targetIds[i] = await this.insertTarget(request, actor, i, dto.targets[i]!, keys[i]!);
      await this.release.linkRequestPersons(ctx, request, persons, 'origin');
      await this.identifierRelease.releaseIdentifiers(
        ctx,
        request,
        [
          ...freezeTargetKeys(dto.targets),
          // Every text leaves with the request too, whatever its field (a target's institution code,
          // names, grounds…): a number written into it is that number. The subject was weighed (and its
          // numbers recorded) by `RequestDraftsService.createDraft`: not twice.
          ...numbersInAll({ ...dto, subject: undefined }, ''),
        ],
        'origin',
      );
      await this.audit.record(ctx, {
        action: 'asset_freeze.targets.add',
        recordType: 'request',
        recordId: request.id,
        ownerCountry: request.originCountry,
        counterpartCountry: request.targetCountry,
        after: {
          targets: dto.targets.map((t, i) => ({
            id: targetIds[i],
            type: t.type,
            key: keys[i],
            borrowedName: t.borrowedName ?? null,
            amountSought: {
              amount: formatAmount(new Money(t.amountSought.amount)),
              currency: t.amountSought.currency,
            },
          })),
        },
      });
      return request;
    });
    return this.viewFor(actor, request);
  }

  /** A withdrawn, rejected or closed request no longer blocks its accounts from a new request. */
  private async closeTargetsWhenDone(action: string, request: CrossBorderRequest): Promise<void> {
    if (action === 'withdraw' || action === 'close' || action === 'reject')
      await closeTargetsOf(this.tx.manager, request.id);
  }

  /**
   * Inserts one target. The partial unique index over open targets makes this race-safe: a concurrent
   * request for the same account waits here for the other transaction, then finds the conflict.
   */
  private async insertTarget(
    request: CrossBorderRequest,
    actor: Actor,
    position: number,
    t: FreezeTargetDto,
    key: string,
  ): Promise<string> {
    const bank = t.type === 'bank_account';
    const [inserted] = await this.tx.manager.query(
      `INSERT INTO asset_freeze_target (request_id, position, target_type, institution_name, institution_code,
         account_number, holder_name, borrowed_name, person_id, chain, address, exchange_name, currency,
         amount_sought, grounds, origin_country, target_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::numeric, $15, $16, $17)
       ON CONFLICT (origin_country, target_key) WHERE is_open DO NOTHING
       RETURNING id`,
      [
        request.id,
        position,
        t.type,
        bank ? t.institutionName : null,
        bank ? normaliseInstitutionCode(t.institutionCode!) : null,
        bank ? t.accountNumber!.trim() : null,
        t.holderName ?? null,
        bank ? t.borrowedName : null,
        t.personId ?? null,
        bank ? null : t.chain,
        bank ? null : t.address,
        t.exchangeName ?? null,
        t.amountSought.currency,
        t.amountSought.amount,
        JSON.stringify({ summary: t.grounds.summary, victimLosses: t.grounds.victimLosses ?? [] }),
        actor.countryCode,
        key,
      ],
    );
    if (inserted) return inserted.id as string;
    const [existing] = await this.tx.manager.query(
      `SELECT t.id, t.request_id, r.reference, ${draftIdSql('r.id')} AS draft_id
         FROM asset_freeze_target t JOIN cross_border_request r ON r.id = t.request_id
        WHERE t.origin_country = $1 AND t.target_key = $2 AND t.is_open`,
      [actor.countryCode, key],
    );
    throw new DuplicateFreezeTargetError(`targets[${position}]`, {
      requestId: existing?.request_id ?? 'unknown',
      reference: existing ? existing.reference : 'unknown',
      draftId: existing?.draft_id ?? 'unknown',
      targetId: existing?.id ?? 'unknown',
    });
  }

  viewFor(actor: Actor, r: CrossBorderRequest): Promise<AssetFreezeRequestView> {
    return this.views.view(actor, r);
  }
}
