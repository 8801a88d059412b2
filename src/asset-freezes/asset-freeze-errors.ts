import { ConflictError } from '../common/errors/domain-errors';

/** The same account or wallet is already on an open freeze request of the caller's country. */
export class DuplicateFreezeTargetError extends ConflictError {
  override readonly code = 'duplicate-freeze-target';
  override readonly title = 'Already on an open freeze request';
  constructor(
    field: string,
    existing: { requestId: string; reference: string | null; draftId: string; targetId: string },
  ) {
    super(
      `${field} is already on the open freeze request ${existing.reference ?? existing.draftId}; add to or withdraw that request instead.`,
    );
    this.extensions.field = field;
    this.extensions.existingRequestId = existing.requestId;
    // Null while that request is a draft, which `existingDraftId` names.
    this.extensions.existingReference = existing.reference;
    this.extensions.existingDraftId = existing.draftId;
    this.extensions.existingTargetId = existing.targetId;
  }
}

/** An execution step that would break a target's money rules. */
export class LedgerConflictError extends ConflictError {
  override readonly code = 'freeze-ledger-violation';
  override readonly title = 'The amounts do not add up';
  constructor(detail: string, targetId: string) {
    super(detail);
    this.extensions.targetId = targetId;
  }
}

/** `fulfil` before every target has a final outcome. */
export class TargetsNotFinalError extends ConflictError {
  override readonly code = 'freeze-targets-not-final';
  override readonly title = 'Targets still open';
  constructor(openTargetIds: string[]) {
    super(
      `${openTargetIds.length} target(s) have no final outcome yet (not found, funds moved, fully returned or released, or closed out).`,
    );
    this.extensions.openTargetIds = openTargetIds;
  }
}

/**
 * A draft's edit would take off targets that have files attached: the files hang on the target's row
 * (its scan of the bank's letter, say), which the edit would delete with them.
 */
export class FreezeTargetHasFilesError extends ConflictError {
  override readonly code = 'freeze-target-has-files';
  override readonly title = 'Target has files';
  constructor(targets: Array<{ id: string; position: number }>) {
    super(
      `The edit takes off ${targets.map((t) => `targets[${t.position}]`).join(', ')} of the draft, which ha${targets.length === 1 ? 's' : 've'} files attached; keep ${targets.length === 1 ? 'it' : 'them'} in the list (a target whose account or wallet stays keeps its files), or withdraw the draft and draft it again.`,
    );
    this.extensions.targetIds = targets.map((t) => t.id);
  }
}
