import type { EntityManager } from 'typeorm';
import { ConflictError } from '../common/errors/domain-errors';
import { foldDocumentNumber } from '../persons/search-folding';
import type { CreateArrestDto } from './dto/arrest.dto';

/** A row that records an arrest already recorded (in the database or earlier in the same file). */
export interface DuplicateRow {
  row: number;
  field: string;
  message: string;
}

/**
 * Importing the same raid twice doubled 230 persons and arrests without a word. A raid's rows are
 * refused with this 409 when they repeat an arrest the country already recorded, unless the caller
 * says `?allowDuplicates=true`; nothing is recorded.
 */
export class DuplicateArrestsError extends ConflictError {
  override readonly code = 'duplicate-arrests';
  override readonly title = 'Arrests already recorded';
  constructor(duplicates: DuplicateRow[], total: number) {
    super(
      `${total} row(s) repeat an arrest already recorded on the same day; nothing was recorded. ` +
        'Send ?allowDuplicates=true to record them anyway.',
    );
    this.extensions.errors = duplicates;
  }
}

/**
 * What makes two arrests the same: the same person on the same day (UTC) for the same arresting
 * country. A new person is known by their document numbers (folded as the person search folds them);
 * an existing one by their id.
 */
interface ArrestIdentity {
  day: string;
  documents: string[];
  personId: string | null;
  /** The field a duplicate is reported on. */
  field: string;
}

export function identityOf(dto: CreateArrestDto): ArrestIdentity | null {
  const day = new Date(dto.arrestedAt).toISOString().slice(0, 10);
  if (dto.personId) return { day, documents: [], personId: dto.personId, field: 'personId' };
  const documents = (dto.person?.documents ?? []).map((d) => foldDocumentNumber(d.number)).filter(Boolean);
  return documents.length ? { day, documents, personId: null, field: 'person.documents[0].number' } : null;
}

const keysOf = (id: ArrestIdentity) =>
  id.personId ? [`p:${id.personId}|${id.day}`] : id.documents.map((d) => `d:${d}|${id.day}`);

/** Rows of one file or batch that repeat an earlier row of it. */
export class DuplicatesInFile {
  private readonly firstRow = new Map<string, number>();

  /** The earlier row this one repeats, or null (and this one is remembered). */
  check(row: number, identity: ArrestIdentity | null): number | null {
    if (!identity) return null;
    const keys = keysOf(identity);
    for (const key of keys) {
      const earlier = this.firstRow.get(key);
      if (earlier !== undefined) return earlier;
    }
    for (const key of keys) this.firstRow.set(key, row);
    return null;
  }
}

/** Which of `rows` repeat an arrest `country` already recorded: one query per chunk of rows. */
export async function recordedDuplicates(
  manager: EntityManager,
  country: string,
  rows: Array<{ row: number; identity: ArrestIdentity | null }>,
): Promise<Set<number>> {
  const keyed = rows.flatMap(
    ({
      row,
      identity,
    }): Array<{
      row: number;
      day: string;
      personId: string | null;
      document: string | null;
    }> =>
      identity
        ? identity.personId
          ? [{ row, day: identity.day, personId: identity.personId, document: null }]
          : identity.documents.map((document) => ({ row, day: identity.day, personId: null, document }))
        : [],
  );
  if (!keyed.length) return new Set();
  const found: Array<{ row: number }> = await manager.query(
    `SELECT DISTINCT x.row
       FROM jsonb_to_recordset($2::jsonb) AS x(row int, day date, "personId" uuid, document text)
       JOIN arrest a ON a.arresting_country = $1
                    AND a.arrested_at >= (x.day::timestamp AT TIME ZONE 'UTC')
                    AND a.arrested_at < ((x.day + 1)::timestamp AT TIME ZONE 'UTC')
       JOIN person p ON p.id = a.person_id
      WHERE (x."personId" IS NOT NULL AND a.person_id = x."personId")
         OR (x.document IS NOT NULL AND x.document = ANY(p.document_numbers))`,
    [country, JSON.stringify(keyed)],
  );
  return new Set(found.map((f) => Number(f.row)));
}
