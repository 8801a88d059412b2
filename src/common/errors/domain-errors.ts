/**
 * Errors that domain code throws. Each carries a stable machine-readable `code` and the HTTP status it
 * maps to; the one problem-details filter turns them into RFC 9457 responses. Domain code never throws
 * Nest's HttpException with ad-hoc payloads.
 */
export interface FieldError {
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  abstract readonly title: string;
  /** Extra members merged into the problem body (for example `currentState`, `allowedActions`). */
  readonly extensions: Record<string, unknown> = {};
  /** Headers to send with the problem (for example `Retry-After`). */
  readonly headers: Record<string, string> = {};

  constructor(detail: string) {
    super(detail);
    this.name = new.target.name;
  }
}

export class ValidationFailedError extends DomainError {
  readonly status = 400;
  readonly code = 'validation-failed';
  readonly title = 'Request is invalid';
  constructor(
    readonly errors: FieldError[],
    detail = 'One or more fields are invalid.',
  ) {
    super(detail);
    this.extensions.errors = errors;
  }
}

export class UnauthenticatedError extends DomainError {
  readonly status = 401;
  readonly code = 'unauthenticated';
  readonly title = 'Authentication required';
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly code = 'forbidden';
  readonly title = 'Not allowed';
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly code = 'not-found';
  readonly title = 'Not found';
  constructor(what = 'The resource') {
    super(`${what} does not exist.`);
  }
}

export class ConflictError extends DomainError {
  readonly status = 409;
  readonly code: string = 'conflict';
  readonly title: string = 'Conflict';
}

export class IllegalTransitionError extends ConflictError {
  override readonly code = 'illegal-transition';
  override readonly title = 'Action not allowed in the current state';
  constructor(action: string, currentState: string, allowedActions: string[]) {
    super(`'${action}' is not allowed while the record is '${currentState}'.`);
    this.extensions.currentState = currentState;
    this.extensions.allowedActions = allowedActions;
  }
}

export class UnprocessableError extends DomainError {
  readonly status = 422;
  readonly code: string = 'unprocessable';
  readonly title: string = 'Request cannot be processed';
}

export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  readonly code = 'too-many-requests';
  readonly title = 'Too many requests';
  constructor(retryAfterSeconds: number) {
    super(`Too many requests; retry after ${retryAfterSeconds} seconds.`);
    this.headers['Retry-After'] = String(retryAfterSeconds);
  }
}

/** A service the request needs (not the database, which the filter recognises itself) cannot be reached. */
export class ServiceUnavailableError extends DomainError {
  readonly status = 503;
  readonly code = 'service-unavailable';
  readonly title = 'Service unavailable';
  constructor(detail: string, retryAfterSeconds = 5) {
    super(detail);
    this.headers['Retry-After'] = String(retryAfterSeconds);
  }
}
