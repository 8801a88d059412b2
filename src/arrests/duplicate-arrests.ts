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
  constructor(duplicates: DuplicateRow[], total: number, detail?: string) {
    super(
      detail ??
        `${total} row(s) repeat an arrest already recorded on the same day; nothing was recorded. ` +
          'Send ?allowDuplicates=true to record them anyway.',
    );
    // In file order: repeats within the file are found as rows arrive, recorded ones per chunk.
    this.extensions.errors = [...duplicates].sort((a, b) => a.row - b.row);
  }

  /**
   * A correction of `arrestedAt` (`PATCH /arrests/:id`) onto a day on which the country already recorded
   * an arrest of the same person: the same 409, naming the field; nothing is corrected.
   */
  static ofCorrection(day: string): DuplicateArrestsError {
    const error = new DuplicateArrestsError(
      [],
      1,
      `An arrest of this person on ${day} is already recorded; nothing was corrected. ` +
        'Send ?allowDuplicates=true to correct it anyway.',
    );
    error.extensions.errors = [
      { field: 'arrestedAt', message: `repeats an arrest already recorded on ${day}` },
    ];
    return error;
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

/**
 * Whether a correction of an arrest's `arrestedAt` onto `day` (UTC, `YYYY-MM-DD`) makes it repeat an
 * arrest its country already recorded (`PATCH /arrests/:id`), as a raid's row would: the same person by
 * id, or, where the person is the arresting country's own, by the document numbers it holds (a raid
 * imported twice recorded the same people twice, as two persons). The arrest itself is not compared.
 */
export async function correctionRepeatsArrest(
  manager: EntityManager,
  country: string,
  arrest: { id: string; personId: string },
  day: string,
): Promise<boolean> {
  const [person]: Array<{ document_numbers: string[] | null }> = await manager.query(
    `SELECT p.document_numbers FROM person p WHERE p.id = $1 AND p.owner_country = $2`,
    [arrest.personId, country],
  );
  const documents = (person?.document_numbers ?? []).filter(Boolean);
  // One identity per key kind, as `recordedDuplicates` reads them (a row of a raid is one or the other).
  const identities: ArrestIdentity[] = [
    { day, documents: [], personId: arrest.personId, field: 'arrestedAt' },
  ];
  if (documents.length) identities.push({ day, documents, personId: null, field: 'arrestedAt' });
  const found = await recordedDuplicates(
    manager,
    country,
    identities.map((identity, i) => ({ row: i + 1, identity })),
    arrest.id,
  );
  return found.size > 0;
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

/**
 * Which of `rows` repeat an arrest `country` already recorded: two index-driven queries per chunk.
 * `except`: an arrest that is not compared (the one being corrected, which repeats itself).
 */
export async function recordedDuplicates(
  manager: EntityManager,
  country: string,
  rows: Array<{ row: number; identity: ArrestIdentity | null }>,
  except: string | null = null,
): Promise<Set<number>> {
  const identities = rows.filter((r) => r.identity !== null) as Array<{
    row: number;
    identity: ArrestIdentity;
  }>;
  if (!identities.length) return new Set();
  // The check holds the country's lock until the batch commits: two copies of one raid sent at once
  // each read no arrest of the other (not committed yet) and both were recorded. The second now waits,
  // then finds the first's arrests (409 duplicate-arrests).
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('arrests-recorded:' || $1, 0))`, [
    country,
  ]);
  const days = identities.map((r) => r.identity.day).sort();
  const documents = [...new Set(identities.flatMap((r) => r.identity.documents))];
  const personIds = [
    ...new Set(identities.flatMap((r) => (r.identity.personId ? [r.identity.personId] : []))),
  ];
  // One GIN scan for every document of the chunk (`&&`), one index scan for the persons; the day is
  // compared here. Joining row by row let the planner scan every person per row: seconds per chunk.
  // Documents are compared with the country's own persons only: another country's person arrested by
  // id holds the documents its owner gives it now, which the arresting country may no longer read (a
  // share revoked, a framework ended), and a 409 would confirm a guessed number (probe r6). A repeated
  // raid file names its persons by documents, and those persons are the country's own.
  const found: Array<{ document_numbers: string[] | null; person_id: string; day: string }> =
    await manager.query(
      `WITH day_arrests AS (
         SELECT a.person_id, to_char(a.arrested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day FROM arrest a
          WHERE a.arresting_country = $1 AND ($6::uuid IS NULL OR a.id <> $6::uuid)
            AND a.arrested_at >= ($4::date::timestamp AT TIME ZONE 'UTC')
            AND a.arrested_at < (($5::date + 1)::timestamp AT TIME ZONE 'UTC'))
       SELECT p.document_numbers, d.person_id, d.day
         FROM person p JOIN day_arrests d ON d.person_id = p.id
        WHERE p.document_numbers && $2::text[] AND p.owner_country = $1
       UNION ALL
       SELECT NULL, d.person_id, d.day FROM day_arrests d WHERE d.person_id = ANY($3::uuid[])`,
      [country, documents, personIds, days[0], days[days.length - 1], except],
    );
  const recorded = new Set(
    found.flatMap((f) => [
      `p:${f.person_id}|${f.day}`,
      ...(f.document_numbers ?? []).map((d) => `d:${d}|${f.day}`),
    ]),
  );
  return new Set(
    identities.filter((r) => keysOf(r.identity).some((key) => recorded.has(key))).map((r) => r.row),
  );
}
