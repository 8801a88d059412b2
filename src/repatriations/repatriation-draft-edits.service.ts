import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import { numbersInTexts, textsIn, type OutgoingIdentifier } from '../sharing/identifier-keys';
import { ReleaseService } from '../sharing/release.service';
import type { CrossBorderRequest } from '../workflow/cross-border-request.entity';
import { editDraftCase } from '../workflow/draft-case-edit';
import type { DraftEdit } from '../workflow/request-kind';
import type { EditRepatriationRequestDto } from './dto/repatriation-request.dto';
import { RepatriationArrestListService } from './repatriation-arrest-list.service';
import { arrestRowsOf, deleteDraftArrests, lockDraftArrests } from './repatriation-arrests.store';

/** The fields of a repatriation's draft that are its own (beyond the shared subject and priority). */
type OwnDraftFields = Pick<EditRepatriationRequestDto, 'caseId' | 'arrestIds'>;

/**
 * The kind's own part of a repatriation's draft edit (`RequestDraftEditsService`): its case, and its
 * arrests, replaced as a whole and checked as on the draft's create (`RepatriationArrestListService`:
 * an arrest the caller does not read answers as an unknown id, a person on another open request 409).
 * An arrest that stays keeps its row; one taken off leaves the draft with its person's link (and the
 * release the link recorded: the draft gave its target nothing yet); one added is written as on a
 * create. The numbers the arrests carry are weighed by the engine (`draftNumbers`).
 */
@Injectable()
export class RepatriationDraftEditsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly arrestList: RepatriationArrestListService,
    private readonly release: ReleaseService,
  ) {}

  async edit(ctx: RequestContext, draft: CrossBorderRequest, changes: OwnDraftFields): Promise<DraftEdit> {
    const edit: DraftEdit = { fields: {}, before: {}, after: {} };
    await editDraftCase(this.tx.manager, draft, changes.caseId, edit);
    if (changes.arrestIds !== undefined) await this.replaceArrests(ctx, draft, changes.arrestIds, edit);
    return edit;
  }

  /**
   * Every number the draft's arrests carry to its target, as its create recorded them
   * (`IdentifierReleaseService.releaseRequestArrests`): those written in any column of each arrest, as
   * it stands now. Named by the arrest's place in the view's `persons`.
   */
  async draftNumbers(draft: Pick<CrossBorderRequest, 'id'>): Promise<OutgoingIdentifier[]> {
    const rows = await arrestRowsOf(this.tx.manager, draft.id);
    return numbersInTexts(rows.flatMap((r, i) => textsIn(r.row, `persons[${i}]`)));
  }

  private async replaceArrests(
    ctx: RequestContext,
    draft: CrossBorderRequest,
    arrestIds: string[],
    edit: DraftEdit,
  ): Promise<void> {
    const m = this.tx.manager;
    const checked = await this.arrestList.check(ctx, arrestIds, draft.targetCountry, draft.id);
    const rows = await lockDraftArrests(m, draft.id);
    const held = new Set(rows.map((r) => r.arrest_id));
    const wanted = new Set(arrestIds);
    const removed = rows.filter((r) => !wanted.has(r.arrest_id));
    const added = checked.arrests.filter((a) => !held.has(a.arrest.id));
    // A save of the list as it stands changes nothing (its order is not kept: the view lists by arrest time).
    if (!removed.length && !added.length) return;

    await deleteDraftArrests(
      m,
      draft.id,
      removed.map((r) => r.arrest_id),
    );
    // One person is on one arrest of the list at most (`check`): a person taken off with its arrest is
    // no longer named, unless the new list names it by another arrest.
    const named = new Set(checked.arrests.map((a) => a.arrest.person_id));
    await this.release.unlinkDraftPersons(
      draft,
      removed.map((r) => r.person_id).filter((personId) => !named.has(personId)),
    );
    const stillLinked = new Set(rows.map((r) => r.person_id).filter((personId) => named.has(personId)));
    await this.arrestList.write(ctx, draft, added, stillLinked);

    edit.before.arrestIds = rows.map((r) => r.arrest_id);
    edit.after.arrestIds = arrestIds;
    edit.personsLinkedOrUnlinked = [
      ...removed.map((r) => r.person_id).filter((personId) => !named.has(personId)),
      ...added.map((a) => a.arrest.person_id).filter((personId) => !stillLinked.has(personId)),
    ];
    edit.partsChanged = true;
    const sides = { sendingCountry: checked.sendingCountry, receivingCountry: checked.receivingCountry };
    // Arrests made by the other country of the pair turn the request around.
    if (sides.sendingCountry !== draft.payload.sendingCountry) {
      edit.fields.payload = { ...draft.payload, ...sides };
      edit.before.sendingCountry = draft.payload.sendingCountry;
      edit.before.receivingCountry = draft.payload.receivingCountry;
      Object.assign(edit.after, sides);
    }
  }
}
