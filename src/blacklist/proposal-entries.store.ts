import type { EntityManager } from 'typeorm';

/** An entry of a proposal's draft as its edit reads it (what the origin wrote, and where). */
export interface DraftEntryRow {
  id: string;
  position: number;
  person_id: string;
  case_id: string | null;
  grounds: string;
  grounds_summary: string;
}

/** What the origin writes of an entry that stays on an edited draft (its person stays). */
export interface DraftEntryColumns {
  position: number;
  case_id: string | null;
  grounds: string;
  grounds_summary: string;
}

/** A proposal's entries, locked (in id order) for the rest of its edit's transaction. */
export function lockEntriesOf(manager: EntityManager, proposalId: string): Promise<DraftEntryRow[]> {
  return manager.query(
    `SELECT id, position, person_id, case_id, grounds, grounds_summary
       FROM blacklist_entry WHERE proposal_id = $1 ORDER BY id FOR UPDATE`,
    [proposalId],
  );
}

/** Of `entryIds`, those with files attached (any, withdrawn ones too: the row holds them). */
export async function entriesWithFiles(manager: EntityManager, entryIds: string[]): Promise<string[]> {
  if (!entryIds.length) return [];
  const rows: Array<{ id: string }> = await manager.query(
    `SELECT DISTINCT blacklist_entry_id AS id FROM attachment WHERE blacklist_entry_id = ANY($1::uuid[])`,
    [entryIds],
  );
  return rows.map((r) => r.id);
}

/**
 * Deletes entries of a draft (its edit took them off): still `proposed` on a proposal never sent, so no
 * decision, screening or amendment names them, and the caller made sure none has files. The one delete
 * `blacklist_entry_kept` lets through (migration 1763801360000).
 */
export async function deleteDraftEntries(
  manager: EntityManager,
  proposalId: string,
  entryIds: string[],
): Promise<void> {
  if (!entryIds.length) return;
  await manager.query(
    `DELETE FROM blacklist_entry e USING cross_border_request r
      WHERE e.id = ANY($2::uuid[]) AND e.proposal_id = $1 AND e.status = 'proposed'
        AND r.id = e.proposal_id AND r.status = 'draft' AND r.sent_at IS NULL`,
    [proposalId, entryIds],
  );
}

/**
 * Moves entries of a proposal to positions no entry takes (below zero), so that the edit may give each
 * its new place: `(proposal_id, position)` is unique, checked row by row.
 */
export async function parkEntryPositions(
  manager: EntityManager,
  proposalId: string,
  entryIds: string[],
): Promise<void> {
  if (!entryIds.length) return;
  await manager.query(
    `UPDATE blacklist_entry SET position = -1 - position WHERE proposal_id = $1 AND id = ANY($2::uuid[])`,
    [proposalId, entryIds],
  );
}

/** Rewrites an entry that stays on an edited draft in place (its id, person and files stay): a new version. */
export async function updateDraftEntry(
  manager: EntityManager,
  entryId: string,
  c: DraftEntryColumns,
): Promise<void> {
  await manager.query(
    `UPDATE blacklist_entry SET position = $2, case_id = $3, grounds = $4, grounds_summary = $5,
       version = version + 1, updated_at = now()
     WHERE id = $1`,
    [entryId, c.position, c.case_id, c.grounds, c.grounds_summary],
  );
}

/** The grounds of a proposal's entries as they stand, in the order of its list. */
export function entryGroundsOf(
  manager: EntityManager,
  proposalId: string,
): Promise<Array<{ grounds: string; grounds_summary: string }>> {
  return manager.query(
    `SELECT grounds, grounds_summary FROM blacklist_entry WHERE proposal_id = $1 ORDER BY position`,
    [proposalId],
  );
}

/** The persons the proposing country linked to its proposal (its entries' persons). */
export async function linkedPersonsOf(manager: EntityManager, proposalId: string): Promise<string[]> {
  const rows: Array<{ person_id: string }> = await manager.query(
    `SELECT person_id FROM request_person WHERE request_id = $1 AND added_by_side = 'origin'`,
    [proposalId],
  );
  return rows.map((r) => r.person_id);
}
