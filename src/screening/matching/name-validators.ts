import { registerDecorator, ValidationOptions } from 'class-validator';
import { preparedNameProblem } from './normalise-name';
import { detectScript } from '../../common/text/name-script';

/**
 * A name (or part of one) whose prepared form, after transliteration, stays inside the matching
 * engine's caps. Wherever names are written (screenings, persons, blacklist proposals, arrests): a
 * name stored past the caps would be cut when screened against, and one typed past them would cost
 * the server work and memory out of all proportion to what was sent.
 */
export function IsPreparableName(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isPreparableName',
      target: target.constructor,
      propertyName,
      options: {
        message: (args) => `${args.property} ${preparedNameProblem(String(args.value)) ?? 'is invalid'}`,
        ...options,
      },
      validator: {
        // Non-strings are reported by @IsString; a long string is reported by @Length and not expanded.
        validate: (value: unknown) =>
          typeof value !== 'string' || value.length > 200 || preparedNameProblem(value) === null,
      },
    });
}

/**
 * A name's `script` label, when given, agrees with the letters of its `full` form (detected as
 * screening reads it): a Hangul name labelled `latin` would be prepared and matched as the wrong
 * script. Left out, the script is detected when the name is stored.
 */
export function MatchesNameScript(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'matchesNameScript',
      target: target.constructor,
      propertyName,
      options: {
        message: (args) => {
          const full = (args.object as { full?: unknown }).full;
          return `${args.property} '${String(args.value)}' does not match the letters of full (${typeof full === 'string' ? detectScript(full) : 'unknown'})`;
        },
        ...options,
      },
      validator: {
        validate: (value: unknown, args) => {
          const full = (args?.object as { full?: unknown }).full;
          // A missing or malformed `full` is reported by its own rules.
          return typeof full !== 'string' || value === undefined || value === detectScript(full);
        },
      },
    });
}
