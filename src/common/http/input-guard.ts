import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Stream } from 'node:stream';
import { FieldError, ValidationFailedError } from '../errors/domain-errors';
import { PROBLEM_CONTENT_TYPE, problemType } from '../errors/problem-details';

/**
 * Deeper than any body this API defines (persons nest four levels); class-transformer recurses once per
 * level and ran out of stack on a 2,000-level `tags`, which surfaced as a 500.
 */
export const MAX_INPUT_DEPTH = 32;
/**
 * More members than any object of this API declares (the widest DTO has a few dozen). class-transformer
 * de-duplicates an object's keys in quadratic time before whitelisting refuses the unknown ones: an
 * anonymous sign-in body of 100,000 names held the event loop ~6 s, and 400,000 on a 16 MB batch for
 * minutes (probe input r3). Counted here, before any of that runs.
 */
export const MAX_INPUT_FIELDS = 200;
/**
 * Longer than any list of this API (the raid batch's 2,000 arrests, a repatriation's 2,000 arrest ids;
 * test/architecture/list-sizes.spec.ts holds every `@ArrayMaxSize` to it). A longer list is refused here,
 * before the ValidationPipe copies every item through class-transformer to find `@ArrayMaxSize` broken:
 * a raid batch of 5.6 million `{}` held the event loop 26 s and took the heap to 1.5 GB (probe input r5).
 */
export const MAX_INPUT_ITEMS = 2000;
/**
 * Enough to name every bad field of a sane body without echoing a hostile one back whole: the most
 * problems any 400 lists (this guard, validation, a CSV header).
 */
export const MAX_LISTED_PROBLEMS = 50;

/**
 * C0 control characters other than tab, newline and carriage return: PostgreSQL cannot store NUL in
 * text (`invalid byte sequence for encoding "UTF8": 0x00`, a 500), and the others have no business in
 * a name or a comment. DEL and the C1 controls neither (U+009B is the 8-bit form of the terminal escape
 * ESC [, U+0085 a line break few readers show: a title of them reads as empty; probe input r3).
 * Lone surrogates cannot be encoded as UTF-8 at all.
 */
/* eslint-disable no-control-regex -- matching control characters is the point */
const FORBIDDEN_CHARACTER =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
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
 * stored, the nesting checked against `MAX_INPUT_DEPTH` (no list directly inside a list) and each
 * object's width against `MAX_INPUT_FIELDS`. Iterative, so a hostile depth cannot
 * exhaust the stack of the check itself. Field names follow `flattenValidationErrors` (`names[0].full`).
 * A key named after a member of Object.prototype is refused at any depth, query and body alike.
 */
export function inputProblems(
  input: unknown,
  root = '',
  noun: 'field' | 'parameter' = 'field',
): FieldError[] {
  const problems: FieldError[] = [];
  const stack: Array<{ value: unknown; path: string; top: string; depth: number }> = [
    { value: input, path: root, top: root, depth: 0 },
  ];
  while (stack.length > 0 && problems.length < MAX_LISTED_PROBLEMS) {
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
      if (value.length > MAX_INPUT_ITEMS) {
        const at = path || 'body';
        problems.push({
          field: top || at,
          message: `${at} has ${value.length} items; no list of this API has more than ${MAX_INPUT_ITEMS}`,
        });
        continue;
      }
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
    const keys = Object.keys(value);
    if (keys.length > MAX_INPUT_FIELDS) {
      const at = path || (noun === 'parameter' ? 'query' : 'body');
      problems.push({
        field: top || at,
        message: `${at} has ${keys.length} ${noun}s; no object of this API has more than ${MAX_INPUT_FIELDS}`,
      });
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      const at = childPath(path, key);
      // `toString`, `__proto__`, `constructor`, `hasOwnProperty`...: no parameter or field of this API
      // has such a name, code that reads `input[name]` finds the inherited member for a missing one, and
      // whitelisting (forbidNonWhitelisted) lets them through silently, since every object answers to them.
      // And `prototype`, which the ValidationPipe deletes before whitelisting could name it (probe input r5).
      if (key in Object.prototype || key === 'prototype') {
        problems.push({ field: at, message: `${at} is not a ${noun} of this API` });
        continue;
      }
      if (forbiddenCharacterIn(key))
        problems.push({ field: path || 'body', message: `a field name ${FORBIDDEN_CHARACTER_MESSAGE}` });
      stack.push({ value: item, path: at, top: under(at), depth: depth + 1 });
    }
  }
  return problems;
}

/**
 * Query parameters whose percent-encoded bytes are not UTF-8 (`?q=%FF`, `?q=%E2%82`): Fastify's parser
 * keeps such a value as the raw `%FF`, so a search for it answered 200 with nothing found, as if it had
 * been read. Refused instead, named by the parameter, as an undecodable path is (`badUrlProblem`).
 */
export function undecodableQueryProblems(url: string): FieldError[] {
  const start = url.indexOf('?');
  if (start < 0 || !url.includes('%', start)) return [];
  const problems: FieldError[] = [];
  for (const part of url.slice(start + 1).split('&')) {
    if (problems.length >= MAX_LISTED_PROBLEMS) break;
    const [name, value = ''] = splitOnce(part.replace(/\+/g, ' '), '=');
    const decodedName = decodeOrNull(name);
    if (decodedName !== null && decodeOrNull(value) !== null) continue;
    const field = decodedName || 'query';
    problems.push({ field, message: `${field} must be valid UTF-8 text, percent-encoded` });
  }
  return problems;
}

function splitOnce(text: string, separator: string): [string, string?] {
  const at = text.indexOf(separator);
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + 1)];
}

/** The text decoded, a lone `%` (not two hex digits after it) read as itself, as Fastify reads it. */
function decodeOrNull(text: string): string | null {
  try {
    return decodeURIComponent(text.replace(/%(?![0-9a-f]{2})/gi, '%25'));
  } catch {
    return null;
  }
}

/**
 * Query parameters of a route whose handler reads none (no `@Query()`): a DTO refuses a name it does not
 * declare, but these routes dropped every name silently, so `GET /webhooks?status=disabled` answered
 * all webhooks as if the filter had been applied (probe input r4). Refused by name instead.
 */
export function unreadQueryProblems(context: ExecutionContext, query: unknown): FieldError[] {
  if (typeof query !== 'object' || query === null) return [];
  const names = Object.keys(query);
  if (names.length === 0) return [];
  const args: Record<string, unknown> =
    Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {};
  if (Object.keys(args).some((key) => key.split(':')[0] === String(RouteParamtypes.QUERY))) return [];
  return names
    .slice(0, MAX_LISTED_PROBLEMS)
    .map((name) => ({ field: name, message: `${name} is not a parameter of this route` }));
}

/**
 * A JSON body the route cannot mean: `null` (the ValidationPipe reads a nil body as `{}`, so
 * `PATCH /frameworks/{id}` with `null` answered 200 and `POST /audit-events/verify` verified the whole
 * chain), and any non-empty body on a route whose handler reads none (`POST /users/{id}/disable` with a
 * stale `version` disabled the account, `POST /auth/logout` dropped `allSessions`): each field named, as
 * an unread query parameter is (`unreadQueryProblems`). `{}` stays fine there (clients send it by
 * default), and so does a streamed body (uploads and the CSV import read the stream themselves).
 */
export function bodyProblems(context: ExecutionContext, body: unknown): FieldError[] {
  if (body === null) return [{ field: 'body', message: 'the body must be a JSON object, not null' }];
  if (body === undefined || body instanceof Stream || Buffer.isBuffer(body)) return [];
  const args: Record<string, unknown> =
    Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {};
  const reads = [RouteParamtypes.BODY, RouteParamtypes.REQUEST].map(String);
  if (Object.keys(args).some((key) => reads.includes(key.split(':')[0]!))) return [];
  if (typeof body !== 'object' || Array.isArray(body))
    return [{ field: 'body', message: 'this route reads no body' }];
  return Object.keys(body)
    .slice(0, MAX_LISTED_PROBLEMS)
    .map((name) => ({ field: name, message: `${name} is not a field of this route` }));
}

/**
 * Headers this API reads that name one value: given twice, Node keeps the first `Authorization` and
 * `Content-Type` and joins the others with a comma (`X-Filename: a.txt, b.txt` was stored as one
 * name), while a proxy in front may have read the other one. Refused, as a JSON name or a query
 * parameter given twice is (probe input r4).
 */
const SINGLE_VALUED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  'X-Filename',
  'X-Supersedes',
  'Range',
];

export function repeatedHeaderProblems(rawHeaders: readonly string[]): FieldError[] {
  const seen = new Map<string, number>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    seen.set(name, (seen.get(name) ?? 0) + 1);
  }
  return SINGLE_VALUED_HEADERS.filter((name) => (seen.get(name.toLowerCase()) ?? 0) > 1).map((name) => ({
    field: name,
    message: `${name} is given more than once`,
  }));
}

/**
 * Global, and first of all guards: every body, query and the headers the API reads pass here before
 * authentication, throttling, class-transformer and class-validator see them, so no route can forget
 * it. Bad input is a 400 naming the field, never a 500 from the database or a stack overflow.
 */
@Injectable()
export class InputGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const problems = [
      ...repeatedHeaderProblems(request.raw.rawHeaders),
      ...undecodableQueryProblems(request.url),
      ...inputProblems(request.query, '', 'parameter'),
      ...unreadQueryProblems(context, request.query),
      ...bodyProblems(context, request.body),
      ...inputProblems(request.body),
    ];
    if (problems.length > 0) throw new ValidationFailedError(problems.slice(0, MAX_LISTED_PROBLEMS));
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
