import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';

/**
 * Documents a `Page<T>` answer. The swagger plugin cannot read a generic return type, so without this
 * every list would be documented as answering nothing.
 */
export const ApiPageResponse = <T>(item: Type<T>) =>
  applyDecorators(
    ApiExtraModels(item),
    ApiOkResponse({
      schema: {
        type: 'object',
        required: ['items', 'nextCursor'],
        properties: {
          items: { type: 'array', maxItems: 200, items: { $ref: getSchemaPath(item) } },
          nextCursor: {
            type: 'string',
            nullable: true,
            maxLength: 500,
            description: 'Pass it as `cursor` for the next page; null on the last one.',
          },
        },
      },
    }),
  );
