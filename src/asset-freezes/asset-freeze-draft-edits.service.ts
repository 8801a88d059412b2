import { Injectable } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import type { RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import {
  freezeTargetKeys,
  numbersInTexts,
  textsIn,
  type OutgoingIdentifier,
} from '../sharing/identifier-keys';
import { Outgoing, ReleaseService } from '../sharing/release.service';
import type { CrossBorderRequest } from '../workflow/cross-border-request.entity';
import { editDraftCase } from '../workflow/draft-case-edit';
import type { DraftEdit } from '../workflow/request-kind';
import { FreezeTargetHasFilesError } from './asset-freeze-errors';
import type { EditAssetFreezeRequestDto, FreezeTargetDto } from './dto/asset-freeze-request.dto';
import { FreezeTargetListService, targetColumnsOf } from './freeze-target-list.service';
import {
  deleteDraftTargets,
  lockTargetsOf,
  parkTargetPositions,
  TargetColumns,
  targetsOf,
  targetsWithFiles,
  updateTargetRow,
} from './freeze-targets.store';
import { formatAmount, Money, writtenForms } from './money';

/** The fields of an asset freeze's draft that are its own (beyond the shared subject and priority). */
type OwnDraftFields = Pick<EditAssetFreezeRequestDto, 'caseId' | 'targets'>;

/**
 * The kind's own part of an asset freeze's draft edit (`RequestDraftEditsService`): its case, and its
 * targets, replaced as a whole and checked as on the draft's create (`FreezeTargetListService`). A target
 * whose account or wallet stays is rewritten in place (its id and files stay); one taken off is deleted
 * (refused, 409, when it has files); one added is inserted, refused as on a create when the account is
 * on another open request. The persons the targets name are linked and unlinked as an information
 * request's are; the numbers they carry are weighed by the engine (`draftNumbers`).
 */
@Injectable()
export class AssetFreezeDraftEditsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly targetList: FreezeTargetListService,
    private readonly release: ReleaseService,
  ) {}

  async edit(ctx: RequestContext, draft: CrossBorderRequest, changes: OwnDraftFields): Promise<DraftEdit> {
    const edit: DraftEdit = { fields: {}, before: {}, after: {} };
    await editDraftCase(this.tx.manager, draft, changes.caseId, edit);
    if (changes.targets !== undefined) await this.replaceTargets(ctx, draft, changes.targets, edit);
    return edit;
  }

  /**
   * Every number the draft's targets carry to its target, as a create weighs them: each account number
   * and wallet address, and every number written in a target's text. The amount sought is stored as a
   * number: each way its create could have written it is counted (`writtenForms`), so that the receipt
   * of the form it was typed in is never taken for one of a number the draft no longer carries.
   */
  async draftNumbers(draft: Pick<CrossBorderRequest, 'id'>): Promise<OutgoingIdentifier[]> {
    const rows = await targetsOf(this.tx.manager, draft.id);
    return [
      ...freezeTargetKeys(
        rows.map((r) => ({ accountNumber: r.account_number ?? undefined, address: r.address ?? undefined })),
      ),
      ...rows.flatMap((row, i) => {
        // The grounds as stored, their victims' losses as typed; the amount sought in every written form.
        const { amountSought: _amount, grounds: _grounds, ...texts } = carriedOf(row);
        return numbersInTexts([
          ...textsIn({ ...texts, grounds: row.grounds }, `targets[${i}]`),
          ...writtenForms(row.amount_sought, row.currency).map(
            (form) => [`targets[${i}].amountSought.amount`, form] as const,
          ),
        ]);
      }),
    ];
  }

  private async replaceTargets(
    ctx: RequestContext,
    draft: CrossBorderRequest,
    targets: FreezeTargetDto[],
    edit: DraftEdit,
  ): Promise<void> {
    const m = this.tx.manager;
    const { keys, persons } = await this.targetList.check(ctx, targets);
    // Locked, so that a file attached to a target meanwhile is found below (or waits for this edit).
    const rows = (await lockTargetsOf(m, draft.id)).sort((a, b) => a.position - b.position);
    const wanted = targets.map((t, i) => targetColumnsOf(t, keys[i]!));
    const before = rows.map(carriedOf);
    // A save of the list as it stands changes nothing.
    if (isDeepStrictEqual(before, wanted.map(carriedOf))) return;

    const held = new Map(rows.map((r) => [r.target_key, r]));
    const removed = rows.filter((r) => !keys.includes(r.target_key));
    const withFiles = new Set(
      await targetsWithFiles(
        m,
        removed.map((r) => r.id),
      ),
    );
    if (withFiles.size) throw new FreezeTargetHasFilesError(removed.filter((r) => withFiles.has(r.id)));
    await deleteDraftTargets(
      m,
      draft.id,
      removed.map((r) => r.id),
    );
    await parkTargetPositions(m, draft.id);
    const ids: string[] = [];
    for (const [i, columns] of wanted.entries()) {
      const row = held.get(columns.target_key);
      if (row) await updateTargetRow(m, row.id, i, columns);
      ids[i] = row?.id ?? '';
    }
    const added = targets.flatMap((target, i) =>
      held.has(keys[i]!) ? [] : [{ position: i, target, key: keys[i]! }],
    );
    const inserted = await this.targetList.insert(draft.id, draft.originCountry, added);
    added.forEach((a, j) => (ids[a.position] = inserted[j]!));
    await this.relinkPersons(ctx, draft, persons);

    edit.before.targets = rows.map((r) => ({ id: r.id, ...carriedOf(r) }));
    edit.after.targets = wanted.map((c, i) => ({ id: ids[i], ...carriedOf(c) }));
    edit.partsChanged = true;
    if (draft.payload.targetCount !== targets.length)
      edit.fields.payload = { ...draft.payload, targetCount: targets.length };
  }

  /**
   * The persons the new list names (the person behind an account, each victim): one newly named goes
   * through the release rule for the draft's target as on a create; one no longer named leaves with the
   * release its link recorded (the draft gave its target nothing yet).
   */
  private async relinkPersons(
    ctx: RequestContext,
    draft: CrossBorderRequest,
    persons: Outgoing[],
  ): Promise<void> {
    const rows: Array<{ person_id: string }> = await this.tx.manager.query(
      `SELECT person_id FROM request_person WHERE request_id = $1 AND added_by_side = 'origin'`,
      [draft.id],
    );
    const linked = new Set(rows.map((r) => r.person_id));
    const named = new Set(persons.map((p) => p.personId));
    await this.release.unlinkDraftPersons(
      draft,
      [...linked].filter((personId) => !named.has(personId)),
    );
    await this.release.linkRequestPersons(
      ctx,
      draft,
      persons.filter((p) => !linked.has(p.personId)),
      'origin',
    );
  }
}

/**
 * What a target carries to the draft's target, as its view shows it (amounts canonical): compared to
 * tell a save of the same list, and written into the edit's audit event.
 */
function carriedOf(c: Omit<TargetColumns, 'target_key'>) {
  const money = (amount: string, currency: string) => ({ amount: formatAmount(new Money(amount)), currency });
  return {
    type: c.target_type,
    institutionName: c.institution_name,
    institutionCode: c.institution_code,
    accountNumber: c.account_number,
    holderName: c.holder_name,
    borrowedName: c.borrowed_name,
    personId: c.person_id,
    chain: c.chain,
    address: c.address,
    exchangeName: c.exchange_name,
    amountSought: money(c.amount_sought, c.currency),
    grounds: {
      summary: c.grounds.summary,
      victimLosses: (c.grounds.victimLosses ?? []).map((v) => ({
        personId: v.personId,
        loss: money(v.loss.amount, v.loss.currency),
      })),
    },
  };
}
