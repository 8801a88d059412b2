import type { ApiResponseOptions } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';

export const PROBLEM_DETAILS_SCHEMA_NAME = 'ProblemDetails';

const uuid: SchemaObject = { type: 'string', format: 'uuid', maxLength: 36 };
const text: SchemaObject = { type: 'string', maxLength: 2000 };

/**
 * The body of every error response (see `ProblemDetailsFilter`), with each extension member that a
 * domain error may add. Documented here by hand because the filter builds it from plain objects.
 */
export const PROBLEM_DETAILS_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'RFC 9457 problem details.',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', maxLength: 200, example: 'urn:case-desk:problem:validation-failed' },
    title: { type: 'string', maxLength: 200 },
    status: { type: 'integer', format: 'int32', minimum: 400, maximum: 599 },
    detail: text,
    instance: { type: 'string', maxLength: 2000, description: 'The path of the request.' },
    requestId: { type: 'string', maxLength: 200, description: 'Quote it when reporting a problem.' },
    errors: {
      type: 'array',
      maxItems: 1000,
      description: 'Validation failures, one per field.',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string', maxLength: 500 }, message: text },
      },
    },
    currentState: { type: 'string', maxLength: 50, description: 'Illegal transition: the state now.' },
    allowedActions: {
      type: 'array',
      maxItems: 50,
      description: 'Illegal transition: what the caller may do instead.',
      items: { type: 'string', maxLength: 50 },
    },
    field: { type: 'string', maxLength: 100, description: 'Asset freeze: the field already frozen.' },
    existingRequestId: uuid,
    existingReference: {
      type: 'string',
      nullable: true,
      maxLength: 50,
      description: 'Asset freeze: the reference of the request holding it; null while that request is a draft.',
    },
    existingDraftId: {
      type: 'string',
      maxLength: 50,
      description: 'Asset freeze: the draft id of the request holding it (`DRAFT-1A2B3C4D`).',
    },
    existingTargetId: uuid,
    targetId: uuid,
    openTargetIds: { type: 'array', maxItems: 1000, items: uuid },
    failedEntry: {
      type: 'object',
      description: 'Batch activation: the entry that refused the batch (nothing was activated).',
      required: ['index', 'id'],
      properties: { index: { type: 'integer', format: 'int32', minimum: 0, maximum: 499 }, id: uuid },
    },
  },
};

const problem = (status: number, description: string): ApiResponseOptions => ({
  status,
  description,
  content: {
    'application/problem+json': {
      schema: { $ref: `#/components/schemas/${PROBLEM_DETAILS_SCHEMA_NAME}` },
    },
  },
});

/** The error statuses any route may answer, documented once for all of them. */
export const PROBLEM_RESPONSES: ApiResponseOptions[] = [
  problem(400, 'The request is invalid; `errors` names each field.'),
  problem(401, 'A valid access token is required (or the sign-in failed).'),
  problem(403, 'The record is visible but the caller may not do this.'),
  problem(404, 'Not found, or not visible to the caller.'),
  problem(409, 'The state or version changed, or the record conflicts with another.'),
  problem(413, 'The request body is larger than allowed.'),
  problem(415, 'The request body is not JSON.'),
  problem(422, 'The request is well-formed but cannot be processed.'),
  problem(500, 'Something went wrong on our side; the body says nothing of the cause.'),
  {
    ...problem(503, 'The database cannot be reached at the moment; nothing was changed. Retry later.'),
    headers: {
      'Retry-After': {
        description: 'Seconds to wait before retrying.',
        schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 3600 },
      },
    },
  },
];

/** 429 of the rate-limited routes (sign-in), with the `Retry-After` the filter sends. */
export const TOO_MANY_REQUESTS_RESPONSE: ApiResponseOptions = {
  ...problem(429, 'Too many attempts; retry after the number of seconds in `Retry-After`.'),
  headers: {
    'Retry-After': {
      description: 'Seconds to wait before retrying.',
      schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 86400 },
    },
  },
};
