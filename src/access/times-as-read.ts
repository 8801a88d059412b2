/**
 * A record's times and version as the reader's country reads them. The owner reads its own. Another
 * country reads the record from when it reached it (`seenSince`, from `caseSeenSince` or
 * `personSeenSince`): when the owner created it, its edit count and its edits before that are the
 * owner's; `version` is null, as only the owner may change it. Throws rather than show another country's
 * record without `seenSince`, so a new read path cannot skip the rule.
 */
export function timesAsRead(
  record: {
    kind: string;
    id: string;
    ownerCountry: string;
    createdAt: Date;
    updatedAt: Date;
    version: number;
  },
  reader: { country: string | null; seenSince?: Date },
  /** The last change the reader reads (its kept copy's, once it keeps one). */
  lastChange: Date = record.updatedAt,
): { createdAt: string; updatedAt: string; version: number | null } {
  if (reader.country !== null && reader.country === record.ownerCountry)
    return {
      createdAt: record.createdAt.toISOString(),
      updatedAt: record.updatedAt.toISOString(),
      version: record.version,
    };
  const seen = reader.seenSince;
  if (!seen)
    throw new Error(`${record.kind} ${record.id} shown to another country without when it reached it`);
  return {
    createdAt: seen.toISOString(),
    updatedAt: (lastChange > seen ? lastChange : seen).toISOString(),
    version: null,
  };
}
