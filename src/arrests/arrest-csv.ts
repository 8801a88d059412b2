import { detectScript } from '../common/text/name-script';
import type { FieldError } from '../common/errors/domain-errors';
import { MAX_LISTED_PROBLEMS } from '../common/http/input-guard';

/**
 * The CSV an arrest import accepts: UTF-8 (a byte-order mark is ignored), comma-separated, a header
 * row naming the columns (any order). Names may be in any script; `name_script` is detected when empty.
 */
export const ARREST_CSV_COLUMNS = [
  'arrested_at',
  'place',
  'province',
  'district',
  'latitude',
  'longitude',
  'case_id',
  'operation',
  'grounds',
  'arresting_agency',
  'nationality',
  'person_id',
  'full_name',
  'name_script',
  'latin_name',
  'birth_date',
  'sex',
  'document_type',
  'document_number',
  'document_country',
  'custody_status',
  'screening_hit_id',
  'blacklist_entry_id',
  'blacklist_request_id',
] as const;
export type ArrestCsvColumn = (typeof ARREST_CSV_COLUMNS)[number];
export const REQUIRED_CSV_COLUMNS: readonly ArrestCsvColumn[] = [
  'arrested_at',
  'place',
  'grounds',
  'arresting_agency',
  'nationality',
  'full_name',
];

/** The DTO field path each CSV column fills, so row errors name the column the user wrote. */
const FIELD_TO_COLUMN: Array<[RegExp, ArrestCsvColumn]> = [
  [/^arrestedAt$/, 'arrested_at'],
  [/^place$/, 'place'],
  [/^province$/, 'province'],
  [/^district$/, 'district'],
  [/^coordinates\.latitude$/, 'latitude'],
  [/^coordinates\.longitude$/, 'longitude'],
  [/^caseId$/, 'case_id'],
  [/^operation$/, 'operation'],
  [/^grounds$/, 'grounds'],
  [/^arrestingAgency$/, 'arresting_agency'],
  [/^nationality$/, 'nationality'],
  [/^personId$/, 'person_id'],
  [/^person(\.names)?$/, 'full_name'],
  [/^person\.names\[0\]\.full$/, 'full_name'],
  [/^person\.names\[0\]\.script$/, 'name_script'],
  [/^person\.names\[1\]\.full$/, 'latin_name'],
  [/^person\.birthDate$/, 'birth_date'],
  [/^person\.sex$/, 'sex'],
  [/^person\.documents\[0\]\.type$/, 'document_type'],
  [/^person\.documents\[0\]\.number$/, 'document_number'],
  [/^person\.documents\[0\]\.issuingCountry$/, 'document_country'],
  [/^person\.nationalities/, 'nationality'],
  [/^custodyStatus$/, 'custody_status'],
  [/^screeningHitId$/, 'screening_hit_id'],
  [/^blacklistEntryId$/, 'blacklist_entry_id'],
  [/^blacklistRequestId$/, 'blacklist_request_id'],
];

export function csvColumnOf(field: string): string {
  return FIELD_TO_COLUMN.find(([pattern]) => pattern.test(field))?.[1] ?? field;
}

/**
 * Fields a row (the header too) may hold: the header can name 24 columns, and a data row's extra fields
 * are reported as a row error up to here. Past it the import stops at that row, before a line of commas
 * becomes millions of cells in memory.
 */
export const MAX_CSV_FIELDS = 100;
/**
 * Bytes one record may hold (csv-parse `max_record_size`), far above the longest row the columns allow
 * (grounds 2,000 characters, place 500, the rest shorter): a longer cell is refused as it is read, not
 * read whole and then checked.
 */
export const MAX_CSV_RECORD_BYTES = 64 * 1024;

/**
 * Checks the header row; returns the column of each position, or the problems found (at most
 * `MAX_LISTED_PROBLEMS` listed, `total` counted).
 */
export function readHeader(
  cells: string[],
): { columns: ArrestCsvColumn[] } | { errors: FieldError[]; total: number } {
  const errors: FieldError[] = [];
  let total = 0;
  const problem = (error: FieldError) => {
    total++;
    if (errors.length < MAX_LISTED_PROBLEMS) errors.push(error);
  };
  const known = new Set<string>(ARREST_CSV_COLUMNS);
  const seen = new Set<string>();
  const columns = cells.map((c) => c.trim().toLowerCase());
  // The required columns first: what is missing matters more than the hundredth unknown column.
  for (const c of REQUIRED_CSV_COLUMNS)
    if (!columns.includes(c)) problem({ field: c, message: `the header must have a '${c}' column` });
  for (const c of columns) {
    if (!known.has(c)) problem({ field: c || '(empty)', message: `unknown column '${c}'` });
    else if (seen.has(c)) problem({ field: c, message: `column '${c}' appears twice` });
    seen.add(c);
  }
  return total ? { errors, total } : { columns: columns as ArrestCsvColumn[] };
}

/**
 * One CSV record → the plain shape of `CreateArrestDto`, validated afterwards like a JSON batch row.
 * Empty cells mean "not given". Returns the problems the DTO cannot express (a missing name).
 */
export function csvRecordToArrest(
  columns: readonly ArrestCsvColumn[],
  cells: string[],
): { plain: Record<string, unknown>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (cells.length !== columns.length)
    errors.push({
      field: 'row',
      message: `the row has ${cells.length} fields, the header ${columns.length}`,
    });
  const v: Partial<Record<ArrestCsvColumn, string>> = {};
  columns.forEach((c, i) => {
    const cell = cells[i]?.trim();
    if (cell) v[c] = cell;
  });
  const number = (s: string) => (/^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s);
  const plain: Record<string, unknown> = {
    arrestedAt: v.arrested_at,
    place: v.place,
    province: v.province,
    district: v.district,
    coordinates:
      v.latitude !== undefined || v.longitude !== undefined
        ? { latitude: number(v.latitude ?? ''), longitude: number(v.longitude ?? '') }
        : undefined,
    caseId: v.case_id,
    operation: v.operation,
    grounds: v.grounds,
    arrestingAgency: v.arresting_agency,
    nationality: v.nationality,
    custodyStatus: v.custody_status,
    screeningHitId: v.screening_hit_id,
    blacklistEntryId: v.blacklist_entry_id,
    blacklistRequestId: v.blacklist_request_id,
  };
  if (v.person_id) {
    plain.personId = v.person_id;
  } else if (!v.full_name) {
    errors.push({ field: 'full_name', message: 'full_name is required (or person_id of a known person)' });
  } else {
    const names: Array<Record<string, unknown>> = [
      { full: v.full_name, script: v.name_script ?? detectScript(v.full_name), kind: 'primary' },
    ];
    if (v.latin_name) names.push({ full: v.latin_name, script: 'latin', kind: 'alias' });
    plain.person = {
      names,
      birthDate: v.birth_date,
      sex: v.sex,
      // Not repeated from `nationality`: the person takes the arrest's nationality when recorded, and
      // one bad code is then reported once, in the arrest's own words.
      documents:
        v.document_number || v.document_type || v.document_country
          ? [
              {
                type: v.document_type ?? 'passport',
                number: v.document_number,
                issuingCountry: v.document_country,
              },
            ]
          : undefined,
    };
  }
  for (const key of Object.keys(plain)) if (plain[key] === undefined) delete plain[key];
  const person = plain.person as Record<string, unknown> | undefined;
  if (person) for (const key of Object.keys(person)) if (person[key] === undefined) delete person[key];
  return { plain, errors };
}
