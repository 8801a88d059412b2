import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Stream } from 'node:stream';
import { FieldError, ValidationFailedError } from '../errors/domain-errors';
import { PROBLEM_CONTENT_TYPE, problemType } from '../errors/problem-details';

/**
 * Deeper than any body this API defines (persons nest four levels); class-transformer recurses once per
 * level and ran out of stack on a 2,000-level `tags`, which surfaced as a 500.
 */
export const MAX_INPUT_DEPTH = 32;
/** Enough to name every bad field of a sane body without echoing a hostile one back whole. */
const MAX_REPORTED = 50;

/**
 * C0 control characters other than tab, newline and carriage return: PostgreSQL cannot store NUL in
 * text (`invalid byte sequence for encoding "UTF8": 0x00`, a 500), and the others have no business in
 * a name or a comment. Lone surrogates cannot be encoded as UTF-8 at all.
 */
/* eslint-disable no-control-regex -- matching control characters is the point */
const FORBIDDEN_CHARACTER =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/* eslint-enable no-control-regex */

export const FORBIDDEN_CHARACTER_MESSAGE =
  'must not contain control characters (other than tab and line breaks) or unpaired surrogates';

/** True when the string holds a character that cannot (or must not) be stored. */
export function forbiddenCharacterIn(value: string): boolean {
  return FORBIDDEN_CHARACTER.test(value);
}

const childPath = (parent: string, key: string | number) =>
  typeof key === 'number' ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key;

/**
 * Every string (keys included) of a parsed JSON body or query, checked for characters that cannot be
 * stored, and the nesting checked against `MAX_INPUT_DEPTH` (no list directly inside a list). Iterative, so a hostile depth cannot
 * exhaust the stack of the check itself. Field names follow `flattenValidationErrors` (`names[0].full`).
 */
export function inputProblems(input: unknown, root = ''): FieldError[] {
  const problems: FieldError[] = [];
  const stack: Array<{ value: unknown; path: string; top: string; depth: number }> = [
    { value: input, path: root, top: root, depth: 0 },
  ];
  while (stack.length > 0 && problems.length < MAX_REPORTED) {
    const { value, path, top, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (forbiddenCharacterIn(value))
        problems.push({ field: path || 'body', message: `${path || 'body'} ${FORBIDDEN_CHARACTER_MESSAGE}` });
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      // Named by the field the caller wrote, not by a path thirty-two levels long.
      problems.push({
        field: top || 'body',
        message: `${top || 'body'} is nested deeper than ${MAX_INPUT_DEPTH} levels`,
      });
      continue;
    }
    // Below the first level everything is named by its top-level field; a body that is itself an
    // array is just the body.
    const under = (at: string) => top || (Array.isArray(value) ? 'body' : at);
    if (Array.isArray(value)) {
      // No field of this API is a list of lists; one would reach the services as an object (a 500).
      const nested = value.findIndex((item) => Array.isArray(item));
      if (nested >= 0) {
        const at = childPath(path, nested);
        problems.push({
          field: top || at,
          message: `${at} is a list inside a list; an object or a value is expected`,
        });
        continue;
      }
      value.forEach((item, i) =>
        stack.push({
          value: item,
          path: childPath(path, i),
          top: under(childPath(path, i)),
          depth: depth + 1,
        }),
      );
      continue;
    }
    // A stream (the CSV import) is read by its own route, which checks each cell.
    if (value instanceof Stream || Buffer.isBuffer(value)) continue;
    for (const [key, item] of Object.entries(value)) {
      const at = childPath(path, key);
      if (forbiddenCharacterIn(key))
        problems.push({ field: path || 'body', message: `a field name ${FORBIDDEN_CHARACTER_MESSAGE}` });
      stack.push({ value: item, path: at, top: under(at), depth: depth + 1 });
    }
  }
  return problems;
}

/**
 * Query parameters named after members of Object.prototype (`toString`, `__proto__`, `constructor`):
 * no parameter of this API has such a name, and code that reads `query[name]` or checks `name in
 * query` would find the inherited function for a missing one. Whitelisting does not catch them, since
 * every object answers to them.
 */
export function prototypeNamesIn(query: unknown): FieldError[] {
  if (typeof query !== 'object' || query === null) return [];
  return Object.keys(query)
    .filter((name) => name in Object.prototype)
    .map((name) => ({ field: name, message: `${name} is not a parameter of this API` }));
}

/**
 * Global, and first of all guards: every body and query passes here before authentication, throttling,
 * class-transformer and class-validator see it, so no route can forget it. Bad input is a 400 naming
 * the field, never a 500 from the database or a stack overflow.
 */
@Injectable()
export class InputGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const problems = [
      ...prototypeNamesIn(request.query),
      ...inputProblems(request.query),
      ...inputProblems(request.body),
    ];
    if (problems.length > 0) throw new ValidationFailedError(problems);
    return true;
  }
}

/**
 * Fastify's answer to a path it cannot decode (`/cases/%ED%A0%80`, not UTF-8): the router refuses it
 * before Nest runs, with a JSON body of its own. Given to the adapter as `frameworkErrors`, so the
 * caller gets the same problem body as for any other bad input.
 */
export function badUrlProblem(_error: Error, request: FastifyRequest, reply: FastifyReply): void {
  const problem = new ValidationFailedError(
    [{ field: 'path', message: 'the path must be valid UTF-8 text, percent-encoded' }],
    'The request path could not be read.',
  );
  void reply
    .status(problem.status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(
      JSON.stringify({
        type: problemType(problem.code),
        title: problem.title,
        status: problem.status,
        detail: problem.message,
        ...problem.extensions,
        requestId: String(request.id),
      }),
    );
}
