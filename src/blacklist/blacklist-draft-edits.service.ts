import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { actorOf, RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import type { OutgoingIdentifier } from '../sharing/identifier-keys';
import { ReleaseService } from '../sharing/release.service';
import type { CrossBorderRequest } from '../workflow/cross-border-request.entity';
import type { DraftEdit } from '../workflow/request-kind';
import { BlacklistEntryHasFilesError } from './blacklist-errors';
import type { EditBlacklistProposalDto } from './dto/blacklist.dto';
import {
  deleteDraftEntries,
  DraftEntryColumns,
  entriesWithFiles,
  entryGroundsOf,
  linkedPersonsOf,
  lockEntriesOf,
  parkEntryPositions,
  updateDraftEntry,
} from './proposal-entries.store';
import { groundsNumbers, PlacedEntry, ProposedEntriesService } from './proposed-entries.service';

/** The proposal's own fields of an edit, once prepared: each row of the new list with its person. */
type PreparedFields = {
  entries?: PlacedEntry[];
};

/** What an entry that stays says, as its row holds it, under the names its view and events use. */
const FIELDS = [
  ['position', 'position'],
  ['caseId', 'case_id'],
  ['grounds', 'grounds'],
  ['groundsSummary', 'grounds_summary'],
] as const;

/**
 * The kind's own part of a blacklist proposal's draft edit (`RequestDraftEditsService`): its entries,
 * replaced as a whole and checked as on the draft's create (`ProposedEntriesService`). The list is
 * checked, and the new persons it writes out in full are put on record, once for the whole draft
 * (`prepare`: a proposal to several countries is one draft until sent, a thread per country, as its
 * create records each person once). Then, for each thread, an entry whose person stays is rewritten in
 * place (its id and files stay), one taken off is deleted (refused, 409, when it has files), one added is
 * written as on a create; a person no longer named leaves the draft with the release its link recorded.
 * Each entry changed writes its own event, so that its timeline shows the change; the numbers the
 * grounds carry are weighed by the engine (`draftNumbers`).
 */
@Injectable()
export class BlacklistDraftEditsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly proposedEntries: ProposedEntriesService,
    private readonly release: ReleaseService,
  ) {}

  async prepare(
    ctx: RequestContext,
    changes: Pick<EditBlacklistProposalDto, 'entries'>,
  ): Promise<PreparedFields> {
    if (changes.entries === undefined) return {};
    await this.proposedEntries.check(actorOf(ctx), changes.entries);
    const personIds = await this.proposedEntries.personsOf(ctx, changes.entries);
    return {
      entries: changes.entries.map((row, position) => ({ position, row, personId: personIds[position]! })),
    };
  }

  async edit(ctx: RequestContext, draft: CrossBorderRequest, changes: PreparedFields): Promise<DraftEdit> {
    const edit: DraftEdit = { fields: {}, before: {}, after: {} };
    if (changes.entries !== undefined) await this.replaceEntries(ctx, draft, changes.entries, edit);
    return edit;
  }

  /** Every number the draft's entries carry to the banning country: those written in their grounds. */
  async draftNumbers(draft: Pick<CrossBorderRequest, 'id'>): Promise<OutgoingIdentifier[]> {
    const rows = await entryGroundsOf(this.tx.manager, draft.id);
    return rows.flatMap((r, i) =>
      groundsNumbers({ grounds: r.grounds, groundsSummary: r.grounds_summary }, `entries[${i}]`),
    );
  }

  private async replaceEntries(
    ctx: RequestContext,
    draft: CrossBorderRequest,
    wanted: PlacedEntry[],
    edit: DraftEdit,
  ): Promise<void> {
    const m = this.tx.manager;
    // Locked, so that a file attached to an entry meanwhile is found below (or waits for this edit).
    const rows = (await lockEntriesOf(m, draft.id)).sort((a, b) => a.position - b.position);
    // Each row of the new list is the entry of its person still unmatched, in list order (a list names a
    // person once, `ProposedEntriesService.check`; a draft written before that rule may name one twice).
    const unmatched = [...rows];
    const stays = wanted.map((w) => {
      const i = unmatched.findIndex((r) => r.person_id === w.personId);
      return i < 0 ? undefined : unmatched.splice(i, 1)[0];
    });
    const removed = unmatched;
    const columns = wanted.map(columnsOf);
    const changed = wanted.flatMap((w, i) => {
      const row = stays[i];
      const differ = row ? FIELDS.filter(([, column]) => row[column] !== columns[i]![column]) : [];
      return row && differ.length ? [{ row, columns: columns[i]!, differ }] : [];
    });
    const added = wanted.filter((_, i) => !stays[i]);
    // A save of the list as it stands changes nothing.
    if (!removed.length && !changed.length && !added.length) return;

    const withFiles = new Set(
      await entriesWithFiles(
        m,
        removed.map((r) => r.id),
      ),
    );
    if (withFiles.size) throw new BlacklistEntryHasFilesError(removed.filter((r) => withFiles.has(r.id)));
    await deleteDraftEntries(
      m,
      draft.id,
      removed.map((r) => r.id),
    );
    for (const row of removed)
      await this.audit.record(ctx, {
        ...this.entryEvent(draft, row.id),
        action: 'blacklist.entry.draft_removed',
        before: { ...viewOf(row), personId: row.person_id },
      });
    await parkEntryPositions(
      m,
      draft.id,
      changed.map((c) => c.row.id),
    );
    for (const { row, columns: c, differ } of changed) {
      await updateDraftEntry(m, row.id, c);
      await this.audit.record(ctx, {
        ...this.entryEvent(draft, row.id),
        action: 'blacklist.entry.draft_edited',
        before: Object.fromEntries(differ.map(([field, column]) => [field, row[column]])),
        after: Object.fromEntries(differ.map(([field, column]) => [field, c[column]])),
      });
    }
    const named = new Set(wanted.map((w) => w.personId));
    const linked = await linkedPersonsOf(m, draft.id);
    await this.release.unlinkDraftPersons(
      draft,
      linked.filter((personId) => !named.has(personId)),
    );
    const written = await this.proposedEntries.write(
      ctx,
      draft,
      added,
      new Set(linked.filter((personId) => named.has(personId))),
    );

    const ids = wanted.map((w, i) => stays[i]?.id ?? written[added.indexOf(w)]!.id);
    edit.before.entries = rows.map((r) => ({ id: r.id, personId: r.person_id, ...summaryOf(r) }));
    edit.after.entries = wanted.map((w, i) => ({
      id: ids[i],
      personId: w.personId,
      ...summaryOf(columns[i]!),
    }));
    edit.partsChanged = true;
  }

  /** The entry's own event, read by both its countries' auditors as every event of an entry is. */
  private entryEvent(draft: CrossBorderRequest, entryId: string) {
    return {
      recordType: 'blacklist_entry',
      recordId: entryId,
      ownerCountry: draft.originCountry,
      counterpartCountry: draft.targetCountry,
      details: { proposalId: draft.id },
    };
  }
}

function columnsOf(w: PlacedEntry): DraftEntryColumns {
  return {
    position: w.position,
    case_id: w.row.caseId ?? null,
    grounds: w.row.grounds,
    grounds_summary: w.row.groundsSummary,
  };
}

/** What an entry says, as its view names it. */
function viewOf(c: DraftEntryColumns): Record<string, unknown> {
  return Object.fromEntries(FIELDS.map(([field, column]) => [field, c[column]]));
}

/** An entry of the list in the proposal's own event: what a screener would be shown, not the full grounds. */
function summaryOf(c: DraftEntryColumns) {
  return { caseId: c.case_id, groundsSummary: c.grounds_summary };
}
