import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsOptional,
  Matches,
  MaxLength,
} from 'class-validator';
import { randomUUID } from 'node:crypto';
import { ValidationFailedError } from '../../common/errors/domain-errors';
import { ISO_COUNTRY } from '../../common/http/validators';

const MAX_OTHER_RECIPIENTS = 20;

/**
 * `alsoTo`: the same request to these countries too. The OpenAPI plugin does not see validators joined
 * with `applyDecorators`, so the property states its own limits for the document.
 */
export const AlsoTo = () =>
  applyDecorators(
    ApiPropertyOptional({
      description:
        'The same request to these countries too (members of the same framework): one approval at the ' +
        'origin, then one thread per country with its own reference, due time and answer.',
      type: [String],
      maxItems: MAX_OTHER_RECIPIENTS,
      items: { type: 'string', pattern: ISO_COUNTRY.source, maxLength: 2 },
    }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(MAX_OTHER_RECIPIENTS),
    ArrayUnique(),
    Matches(ISO_COUNTRY, { each: true, message: 'each of alsoTo must be an ISO 3166-1 alpha-2 code' }),
    MaxLength(2, { each: true }),
  );

/** With `alsoTo`: whether each recipient may see who else was asked (default: no). */
export const RecipientsVisible = () =>
  applyDecorators(
    ApiPropertyOptional({
      description: 'With alsoTo: whether each recipient may see who else was asked (default: no).',
      type: Boolean,
    }),
    IsOptional(),
    IsBoolean(),
  );

export interface Dispatch {
  id: string;
  recipientsVisible: boolean;
}

/** The countries a request goes to, and the dispatch tying their threads when there are several. */
export function recipientsOf(
  origin: string,
  first: string,
  dto: { alsoTo?: string[]; recipientsVisible?: boolean },
): { countries: string[]; dispatch: Dispatch | undefined } {
  const countries = [first, ...(dto.alsoTo ?? [])];
  if (new Set(countries).size !== countries.length)
    throw new ValidationFailedError([{ field: 'alsoTo', message: `alsoTo must not repeat ${first}` }]);
  // Named here, on the field that carries it, rather than as the draft's `targetCountry` further on.
  if (dto.alsoTo?.includes(origin))
    throw new ValidationFailedError([
      { field: 'alsoTo', message: 'alsoTo must name other countries than your own' },
    ]);
  const dispatch =
    countries.length > 1
      ? { id: randomUUID(), recipientsVisible: dto.recipientsVisible ?? false }
      : undefined;
  return { countries, dispatch };
}
