import { registerDecorator, ValidationOptions } from 'class-validator';
import { preparedNameProblem } from '../../screening/matching/normalise-name';

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
