import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Actor, actorOf, RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import { freezeTargetKeys, numbersInAll } from '../sharing/identifier-keys';
import { ReleaseService } from '../sharing/release.service';
import { IdentifierReleaseService } from '../sharing/identifier-release.service';
import type { CrossBorderRequest } from '../workflow/cross-border-request.entity';
import { RequestKindRegistry } from '../workflow/request-kind-registry';
import { RequestViewsService } from '../workflow/request-views.service';
import { newRequest, RequestDraftsService } from '../workflow/request-drafts.service';
import { assetFreezeExtras } from './asset-freeze-view';
import { ASSET_FREEZE_KIND } from './asset-freeze.kind';
import { AssetFreezeDraftEditsService } from './asset-freeze-draft-edits.service';
import { FreezeTargetListService } from './freeze-target-list.service';
import type { AssetFreezeRequestView, CreateAssetFreezeRequestDto } from './dto/asset-freeze-request.dto';
import { closeTargetsOf, targetsAndStepsOf } from './freeze-targets.store';
import { formatAmount, Money } from './money';
import { requireOwnCase } from '../cases/own-case';

const KIND = 'asset_freeze' as const;

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
    private readonly audit: AuditService,
    private readonly release: ReleaseService,
    private readonly identifierRelease: IdentifierReleaseService,
    private readonly targetList: FreezeTargetListService,
    private readonly draftEdits: AssetFreezeDraftEditsService,
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
      // The edit DTO (`EditAssetFreezeRequestDto`) admits no other fields of its own.
      editDraft: (ctx, draft, changes) => this.draftEdits.edit(ctx, draft, changes),
      draftNumbers: (draft) => this.draftEdits.draftNumbers(draft),
    });
  }

  async create(ctx: RequestContext, dto: CreateAssetFreezeRequestDto): Promise<AssetFreezeRequestView> {
    const actor = actorOf(ctx);
    const request = await this.tx.run(async () => {
      await requireOwnCase(this.tx.manager, dto.caseId, actor.countryCode);
      const { keys, persons } = await this.targetList.check(ctx, dto.targets);

      const request = await this.drafts.createDraft(
        ctx,
        newRequest(KIND, dto, { targetCount: dto.targets.length }),
      );
      const targetIds = await this.targetList.insert(
        request.id,
        actor.countryCode!,
        dto.targets.map((target, i) => ({ position: i, target, key: keys[i]! })),
      );
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

  viewFor(actor: Actor, r: CrossBorderRequest): Promise<AssetFreezeRequestView> {
    return this.views.view(actor, r);
  }
}
