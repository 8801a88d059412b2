import { Param, ParseUUIDPipe, PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { ValidationFailedError } from '../errors/domain-errors';

/**
 * A UUID as the database writes it (lower case). PostgreSQL reads `…-ACED-…` as the same id, so a path
 * spelled in capitals reached the same record, but services compared it, and wrote it into the audit
 * trail, as sent: a refused or audited read of a file by its id in capitals was missing from the file's
 * timeline, which matches ids exactly, and a new version by a case's id in capitals named "no
 * attachment of this record" (probe r19).
 */
const lowerCase: PipeTransform<string, string> = { transform: (value) => value.toLowerCase() };

/**
 * A path parameter that must be a UUID; anything else is a 400 naming the parameter. Given to the
 * handler in lower case, as ids are stored and answered. It also tells the OpenAPI document so (format
 * and length), which the route template alone cannot.
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
      lowerCase,
    )(target, method, index);
    const handler = method === undefined ? undefined : Object.getOwnPropertyDescriptor(target, method);
    if (method !== undefined && handler)
      ApiParam({ name, schema: { type: 'string', format: 'uuid', minLength: 36, maxLength: 36 } })(
        target,
        method,
        handler,
      );
  };
