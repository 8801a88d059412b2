import { Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { ValidationFailedError } from '../errors/domain-errors';

/**
 * A path parameter that must be a UUID; anything else is a 400 naming the parameter. It also tells
 * the OpenAPI document so (format and length), which the route template alone cannot.
 */
export const UuidParam =
  (name = 'id'): ParameterDecorator =>
  (target, method, index) => {
    Param(
      name,
      new ParseUUIDPipe({
        exceptionFactory: () =>
          new ValidationFailedError([{ field: name, message: `${name} must be a UUID` }]),
      }),
    )(target, method, index);
    const handler = method === undefined ? undefined : Object.getOwnPropertyDescriptor(target, method);
    if (method !== undefined && handler)
      ApiParam({ name, schema: { type: 'string', format: 'uuid', minLength: 36, maxLength: 36 } })(
        target,
        method,
        handler,
      );
  };
