import type { EntityManager } from 'typeorm';
import { requireOwnCase } from '../cases/own-case';
import type { CrossBorderRequest } from './cross-border-request.entity';
import type { DraftEdit } from './request-kind';

/**
 * A draft's `caseId` changed by an edit, into `edit`: only to a case of the draft's own country (400 on
 * `caseId` otherwise, as at create); the same case again is no change.
 */
export async function editDraftCase(
  manager: EntityManager,
  draft: Pick<CrossBorderRequest, 'caseId' | 'originCountry'>,
  caseId: string | undefined,
  edit: DraftEdit,
): Promise<void> {
  if (caseId === undefined || caseId === draft.caseId) return;
  await requireOwnCase(manager, caseId, draft.originCountry);
  edit.fields.caseId = caseId;
  edit.before.caseId = draft.caseId;
  edit.after.caseId = caseId;
}
