import { Param, PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { ValidationFailedError } from '../errors/domain-errors';
import { ISO_COUNTRY } from './validators';

/** A path parameter that must be an ISO 3166-1 alpha-2 code (`KR`); anything else is a 400 naming it. */
export const CountryParam =
  (name = 'countryCode'): ParameterDecorator =>
  (target, method, index) => {
    const pipe: PipeTransform<unknown, string> = {
      transform: (value) => {
        if (typeof value !== 'string' || !ISO_COUNTRY.test(value))
          throw new ValidationFailedError([
            { field: name, message: `${name} must be an ISO 3166-1 alpha-2 code` },
          ]);
        return value;
      },
    };
    Param(name, pipe)(target, method, index);
    const handler = method === undefined ? undefined : Object.getOwnPropertyDescriptor(target, method);
    if (method !== undefined && handler)
      ApiParam({ name, schema: { type: 'string', pattern: ISO_COUNTRY.source, maxLength: 2 } })(
        target,
        method,
        handler,
      );
  };
