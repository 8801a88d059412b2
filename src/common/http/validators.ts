import { applyDecorators } from '@nestjs/common';
import { Transform, TransformFnParams } from 'class-transformer';
import { getAlpha2Codes } from 'i18n-iso-countries';
import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsISO8601,
  IsOptional,
  IsUUID as isUuidOf,
  Matches,
  MaxLength,
  registerDecorator,
  ValidateIf,
  ValidationOptions,
} from 'class-validator';

/** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, each a real calendar value. */
export const PARTIAL_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

export function IsPartialDate(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isPartialDate',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be YYYY, YYYY-MM or YYYY-MM-DD`, ...options },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string' || !PARTIAL_DATE.test(value)) return false;
          if (value.length < 10) return true;
          const date = new Date(`${value}T00:00:00Z`);
          return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
        },
      },
    });
}

/**
 * A day, `YYYY-MM-DD` (year 0001 on), for fields stored or compared as PostgreSQL `date`. Used beside
 * `@IsDateString({ strict: true })`, which checks the day is real but also lets `1288` or `2026-W01`
 * through: PostgreSQL refuses those, and the refusal surfaced as a 500 (found by the sqlmap probe).
 */
export const CALENDAR_DATE = /^(?!0000)\d{4}-\d{2}-\d{2}$/;
export const CALENDAR_DATE_MESSAGE = '$property must be a date written YYYY-MM-DD';

/**
 * A zone: `Z` or an offset up to ±14:59. Every zone in use lies within −12:00…+14:00; `@IsISO8601`
 * takes offsets up to ±23:59, PostgreSQL refuses past ±15:59, and that refusal surfaced as a 500.
 */
const ZONE = '(Z|[+-](0\\d|1[0-4]):[0-5]\\d)';

/**
 * A day or an ISO 8601 date and time (zone optional), for filters on PostgreSQL `timestamptz`: the
 * shapes `@IsISO8601` accepts and PostgreSQL does not (`1288`, `2026-W01`, `2026-03-01T10Z`, an
 * offset of `+23:59`) are refused.
 */
export const DAY_OR_DATE_TIME = new RegExp(
  `^(?!0000)\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?${ZONE}?)?$`,
);

export const DAY_OR_DATE_TIME_MESSAGE = '$property must be a date (YYYY-MM-DD) or an ISO 8601 date and time';

/**
 * An optional time filter of a list (`from`, `to`): a day or a date and time PostgreSQL takes
 * (`DAY_OR_DATE_TIME`). `maxLength` is stated for the published document, whose plugin reads only the
 * decorators written on the property itself. Applied in the order they would be written, last first.
 */
export function IsQueryTime() {
  return applyDecorators(
    ApiPropertyOptional({ type: String, maxLength: 40 }),
    MaxLength(40),
    IsISO8601({ strict: true }),
    Matches(DAY_OR_DATE_TIME, { message: DAY_OR_DATE_TIME_MESSAGE }),
    IsOptional(),
  );
}

/**
 * An ISO 8601 date and time with a zone, such as `2026-03-01T02:30:00Z` or `2026-03-01T09:30+07:00`; not
 * year 0000, which PostgreSQL does not have. A shape only: `@IsISO8601({ strict: true })` beside it
 * refuses days a month does not have.
 */
export const DATE_TIME = new RegExp(
  `^(?!0000)\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?${ZONE}$`,
);

/** A UUID as text, either case (as PostgreSQL reads one). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID (or each UUID of an array) in lower case; anything else as it is, for its validator to judge. */
export function lowerCaseUuids({ value }: Pick<TransformFnParams, 'value'>): unknown {
  const lower = (v: unknown) => (typeof v === 'string' && UUID.test(v) ? v.toLowerCase() : v);
  return Array.isArray(value) ? value.map(lower) : lower(value);
}

/**
 * class-validator's `IsUUID`, the value handed to the service in lower case, as PostgreSQL writes ids
 * and the API answers them. PostgreSQL reads `…-ACED-…` as the same id, but the services compare ids
 * as strings: `personIds` in capitals named "a person that does not exist", a `caseId` in capitals was
 * answered in capitals, and an audit filter in capitals found nothing. Every id field of a body or
 * query uses this one (test/architecture/uuid-fields.spec.ts); path ids are lowered by `UuidParam`.
 * The same name as class-validator's, so the OpenAPI plugin still writes `format: uuid` for it.
 */
export function IsUUID(
  version?: Parameters<typeof isUuidOf>[0],
  options?: ValidationOptions,
): PropertyDecorator {
  return applyDecorators(Transform(lowerCaseUuids), isUuidOf(version, options));
}

export const ISO_COUNTRY = /^[A-Z]{2}$/;
export const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * The largest `version` a body may carry: versions are `integer` columns, and a larger number would
 * reach the database as an out-of-range parameter (a 500) instead of being refused as invalid (a 400).
 */
export const MAX_VERSION = 2_147_483_647;

/**
 * At most `max` characters after NFKC normalisation, beside `@Length` on the text as typed. Names are
 * normalised before they are matched and indexed, and one character can expand to eighteen (`ﷺ`), so
 * a limit on the raw text alone let a 200-character name become a 3,600-character one.
 */
export function MaxNormalisedLength(max: number, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'maxNormalisedLength',
      target: target.constructor,
      propertyName,
      constraints: [max],
      options: {
        message: `${propertyName} must be at most ${max} characters once normalised (NFKC)`,
        ...options,
      },
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || value.normalize('NFKC').length <= max,
      },
    });
}

const ASCII_NUMBER_CHARACTERS = /^[A-Za-z0-9\p{Z}\p{Pd}\p{Pc}\p{Cf}./]*$/u;

/**
 * A document, account or wallet number: once NFKC-normalised (full-width forms become ASCII), Latin
 * letters and digits, with separators (spaces, dashes, underscores, dots, slashes, invisible format
 * characters) that the release rule's fold drops anyway. Such numbers are written in ASCII (ICAO 9303,
 * IBAN, chain addresses); other letters and numerals (Cyrillic, Han 一二三, Ethiopic, Hangzhou) or
 * symbols (`🅿`) would let one number be written as another that the rule does not recognise.
 */
export function IsAsciiNumber(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isAsciiNumber',
      target: target.constructor,
      propertyName,
      options: {
        message: `${propertyName} must be written with Latin letters and digits (and separators)`,
        ...options,
      },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const folded = value.normalize('NFKC');
          // Two linear tests, not one pattern with a letter between two runs of the same class: that
          // one backtracked quadratically on a long number ending in a symbol (40,000 letters and a
          // `!` held the server for seconds, probe r6).
          return ASCII_NUMBER_CHARACTERS.test(folded) && /[A-Za-z0-9]/.test(folded);
        },
      },
    });
}

const ISO_ALPHA2 = new Set(Object.keys(getAlpha2Codes()));

/**
 * An ISO 3166-1 alpha-2 code of a real country (`CN`, not `XX`), upper case. For nationalities and
 * issuing countries, which can be any country in the world; the member countries this desk serves are
 * the `country` table, a separate thing.
 */
export function IsIsoCountry(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isIsoCountry',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be an ISO 3166-1 alpha-2 country code`, ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && ISO_ALPHA2.has(value),
      },
    });
}

/**
 * The end of a range is not below its start (`toSeq` ≥ `fromSeq`), when both are given. A reversed
 * range selects nothing, and nothing verified read as "ok".
 */
export function IsNotLessThanField(start: string, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isNotLessThanField',
      target: target.constructor,
      propertyName,
      constraints: [start],
      options: { message: `${propertyName} must not be less than ${start}`, ...options },
      validator: {
        validate(value: unknown, args) {
          const from = (args?.object as Record<string, unknown>)[start];
          return typeof value !== 'number' || typeof from !== 'number' || value >= from;
        },
      },
    });
}

/**
 * May be left out, but not sent as `null`: `@IsOptional()` skips every check for null too, and a null
 * then reached a NOT NULL column as a 500 (`PATCH /frameworks/:id` with `active: null`, found by the
 * fuzz suite). For fields whose column cannot be null.
 */
export function IsOptionalNotNull(options?: ValidationOptions) {
  return ValidateIf((_object, value) => value !== undefined, options);
}

/**
 * Something a reader can see: at least one character that is not a space, a control, a format character
 * (a zero-width space, a bidi mark) or a combining mark alone. `@Length(1, …)` and `trim()` let a name,
 * title or subject of a lone U+200B through, which every list then shows as blank (probe input r3).
 */
export function HasVisibleText(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'hasVisibleText',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must contain a visible character`, ...options },
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || hasVisibleCharacter(value),
      },
    });
}

/**
 * What shows nothing: spaces, controls, format characters (zero-width spaces and joiners, bidi marks),
 * combining marks alone, default-ignorables (Hangul fillers U+115F, U+1160, U+3164, U+FFA0) and U+2800
 * BRAILLE PATTERN BLANK, a symbol to Unicode that every font draws as a blank (probe r24).
 */
const VISIBLE = /[^\s\p{Cc}\p{Cf}\p{M}\p{Default_Ignorable_Code_Point}\u2800]/u;

/** Whether the text shows anything: not only spaces, controls, format characters or combining marks. */
export function hasVisibleCharacter(text: string): boolean {
  return VISIBLE.test(text);
}

/** A secret no one has to guess: one character repeated, or no visible character. Null when fine. */
export function trivialSecretProblem(secret: string): string | null {
  if (new Set(secret).size === 1) return 'must not be one character repeated';
  if (!hasVisibleCharacter(secret)) return 'must contain a visible character';
  return null;
}

/** `trivialSecretProblem` as a rule: a webhook secret of 32 `a`s or of zero-width spaces signs nothing. */
export function IsNonTrivialSecret(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isNonTrivialSecret',
      target: target.constructor,
      propertyName,
      options: {
        message: (args) =>
          `${propertyName} ${trivialSecretProblem(String(args.value)) ?? 'is not acceptable'}`,
        ...options,
      },
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || trivialSecretProblem(value) === null,
      },
    });
}

/** A query parameter `true`/`false` as a boolean; anything else is left for `@IsIn([true, false])` to refuse. */
export const queryBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;
