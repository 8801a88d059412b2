import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../../database/availability';
import { DomainError } from './domain-errors';
import { PROBLEM_CONTENT_TYPE, ProblemDetails, problemType } from './problem-details';

/** Codes for errors that come from the framework rather than from domain code. */
const FRAMEWORK_CODES: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable',
  429: 'too-many-requests',
};

const FRAMEWORK_DETAILS: Record<number, string> = {
  400: 'The request could not be read.',
  401: 'A valid access token is required.',
  403: 'You are not allowed to do this.',
  404: 'The resource does not exist.',
  413: 'The request body is larger than allowed.',
  415: 'The request body must be JSON (Content-Type: application/json).',
  429: 'Too many requests; slow down and retry later.',
};

/**
 * The one place where errors become HTTP answers: RFC 9457 problem details for every status.
 * A database outage is a 503 with Retry-After. Anything else unexpected is a plain 500 whose body says nothing of the cause; the log has it all.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const requestId = String(request.id);
    const { problem, headers } = this.toProblem(exception);
    problem.instance = request.url?.split('?')[0];
    problem.requestId = requestId;

    // A 503 the service chose (too many files being read, a dependency it names down) is a state it is
    // in, not a fault of its code: a warning, so a flood of refused uploads does not bury real errors.
    if (exception instanceof DomainError && problem.status === 503)
      this.logger.warn({ requestId, type: problem.type, detail: problem.detail, msg: 'Answered 503' });
    else if (problem.status >= 500) this.logger.error({ err: exception, requestId, msg: 'Unhandled error' });
    void reply
      .status(problem.status)
      .headers({ ...headers, 'content-type': PROBLEM_CONTENT_TYPE })
      .send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): { problem: ProblemDetails; headers: Record<string, string> } {
    if (exception instanceof DomainError) {
      return {
        problem: {
          type: problemType(exception.code),
          title: exception.title,
          status: exception.status,
          detail: exception.message,
          ...exception.extensions,
        },
        headers: exception.headers,
      };
    }
    if (isDatabaseUnavailable(exception)) {
      // Nothing was committed and the caller did nothing wrong: say so, and when to try again.
      return {
        problem: {
          type: problemType('service-unavailable'),
          title: 'Service unavailable',
          status: 503,
          detail: 'The database cannot be reached at the moment; nothing was changed. Try again shortly.',
        },
        headers: { 'retry-after': '5' },
      };
    }
    const status = statusOf(exception);
    if (status !== undefined && status >= 400 && status < 500) {
      return { problem: frameworkProblem(status, exception), headers: {} };
    }
    return {
      problem: {
        type: problemType('internal-error'),
        title: 'Internal server error',
        status: 500,
        detail: 'Something went wrong on our side. Quote the request id when reporting it.',
      },
      headers: {},
    };
  }
}

function statusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  // Fastify's own errors (body parsing, size limit, media type) carry a statusCode.
  const candidate = (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof candidate === 'number' ? candidate : undefined;
}

function frameworkProblem(status: number, exception: unknown): ProblemDetails {
  const code = FRAMEWORK_CODES[status] ?? 'client-error';
  const title = STATUS_CODES[status] ?? 'Client error';
  // The framework's own 4xx messages describe the caller's request ("Body is not valid JSON…"),
  // never our internals, so they are passed on; otherwise a fixed sentence per status.
  const message = exception instanceof Error ? exception.message : '';
  const informative = message && message !== title && !/Exception$/.test(message);
  const detail = informative ? message : (FRAMEWORK_DETAILS[status] ?? 'The request was refused.');
  return { type: problemType(code), title, status, detail };
}
