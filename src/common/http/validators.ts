import { registerDecorator, ValidationOptions } from 'class-validator';

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

export const ISO_COUNTRY = /^[A-Z]{2}$/;
export const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * The largest `version` a body may carry: versions are `integer` columns, and a larger number would
 * reach the database as an out-of-range parameter (a 500) instead of being refused as invalid (a 400).
 */
export const MAX_VERSION = 2_147_483_647;
