import { isUtf8 } from 'node:buffer';
import type { IncomingHttpHeaders } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { ValidationFailedError } from '../errors/domain-errors';
import { duplicateJsonKey } from './duplicate-json-keys';
import { BodyTimeouts, watchBodyArrival } from './stalled-body';

/**
 * JSON bodies must be UTF-8 (RFC 8259). Fastify's own parser decodes with replacement, so a Latin-1
 * body was stored with U+FFFD in place of its letters; this one refuses it (400, naming the body) and
 * a declared charset other than UTF-8 (415), then parses with Fastify's default parser, keeping its
 * prototype-poisoning checks, and refuses a name given twice in one object (400, naming it). Before
 * parsing, a body with more values than its route's budget (`jsonValueBudget`) is refused (400).
 */
export function registerUtf8JsonBodies(fastify: FastifyInstance, timeouts: BodyTimeouts): void {
  refuseEncodedBodies(fastify);
  boundBodyTime(fastify, timeouts);
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const notUtf8 = notUtf8Charset(request.headers, 'JSON bodies');
    if (notUtf8) return done(notUtf8, undefined);
    if (!isUtf8(body as Buffer))
      return done(
        new ValidationFailedError([{ field: 'body', message: 'the body must be valid UTF-8 text' }]),
        undefined,
      );
    const text = (body as Buffer).toString('utf8');
    const budget = jsonValueBudget(request.routeOptions.bodyLimit ?? text.length);
    if (jsonValuesOver(text, budget))
      return done(
        new ValidationFailedError([
          {
            field: 'body',
            message: `the body holds more than ${budget} values; no request of this API needs as many`,
          },
        ]),
        undefined,
      );
    parseJson(request, text, (error: Error | null, value?: unknown) => {
      if (error) return done(error, undefined);
      const twice = duplicateJsonKey(text, value);
      if (twice !== null)
        return done(
          new ValidationFailedError([{ field: twice, message: `${twice} is given twice in one object` }]),
          undefined,
        );
      done(null, value);
    });
  });
}

/**
 * Bytes of a route's body limit per JSON value a body may hold: 65,536 values for the default 1 MB,
 * 1,048,576 for the raid batch's 16 MB. A value costs the server far more than its bytes: `{}` is 3
 * bytes of body and ~70 of heap once parsed, then the duplicate-name check, the InputGuard and the
 * ValidationPipe each walk it. A raid batch of 5.6 million `{}` (16 MB) took the heap to 1.5 GB and
 * ended the server as `npm start` runs it (1 GB heap) with "JavaScript heap out of memory"; an
 * anonymous 1 MB sign-in of 350,000 held the event loop ~1.3 s (probe input r5). Sane bodies spend
 * 20 bytes or more on each value (a name is `{"full":"SOK Dara","kind":"primary"}`: 3 values, 36 bytes;
 * 2,000 arrests of 30 names, 20 documents and 20 phones each: ~19 bytes per value).
 */
export const BODY_BYTES_PER_VALUE = 16;

/** How many JSON values a body may hold on a route with this body limit (bytes). */
export const jsonValueBudget = (bodyLimit: number): number => Math.floor(bodyLimit / BODY_BYTES_PER_VALUE);

/**
 * Whether a JSON text holds more than `limit` values: objects, lists, strings, numbers, `true`,
 * `false`, `null` (member names are not values). One pass over the text that allocates nothing and
 * stops at the first value past the limit; a text that is not JSON is left for the parser to refuse.
 */
export function jsonValuesOver(text: string, limit: number): boolean {
  let values = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: skip to its closing quote; it is a member name when a colon follows.
      i++;
      while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      let next = i + 1;
      while (next < text.length && isJsonWhitespace(text.charCodeAt(next))) next++;
      if (text.charCodeAt(next) !== 0x3a) values++;
      inWord = false;
    } else if (c === 0x7b || c === 0x5b) {
      values++; // { [
      inWord = false;
    } else if (isWordCharacter(c)) {
      // A number or a literal: one value for a run of its characters.
      if (!inWord) values++;
      inWord = true;
    } else inWord = false;
    if (values > limit) return true;
  }
  return false;
}

const isJsonWhitespace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
/** Letters, digits, `+`, `-`, `.`: what numbers and `true`/`false`/`null` are written with. */
const isWordCharacter = (c: number) =>
  (c >= 0x30 && c <= 0x39) ||
  (c >= 0x61 && c <= 0x7a) ||
  (c >= 0x41 && c <= 0x5a) ||
  c === 0x2b ||
  c === 0x2d ||
  c === 0x2e;

/**
 * A 415 for a body declared in a charset other than UTF-8 (`what` names the bodies: "JSON bodies"),
 * or null: the text routes read UTF-8 only, and would otherwise read the bytes as if they were.
 */
export function notUtf8Charset(headers: IncomingHttpHeaders, what: string): Error | null {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(headers['content-type'] ?? '')?.[1];
  if (!charset || /^utf-?8$/i.test(charset)) return null;
  return Object.assign(new Error(`${what} are UTF-8: send charset=utf-8 or none.`), { statusCode: 415 });
}

/**
 * The media types whose parsers hand the request stream to the route unread: the attachment uploads and
 * the CSV import bound their own bodies (the import with the same two timeouts; an upload streams to
 * storage, whose own pauses must not count as the client's). Every other body Fastify reads whole, or
 * refuses at once (415).
 */
const STREAMED_BODY = /^\s*(application\/octet-stream|text\/csv)\s*(;|$)/i;

/**
 * Every body read into memory (JSON) must keep arriving: at most `idleMs` between two chunks and `totalMs`
 * in all, else 408 and the connection is closed. Fastify's `requestTimeout` is off (0) and only the CSV
 * import bounded its body, so a sign-in that declared a Content-Length and sent less, or trickled a byte
 * at a time, held its socket and what it had sent for as long as it liked, anonymously (probe input r9).
 */
function boundBodyTime(fastify: FastifyInstance, limits: BodyTimeouts): void {
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    if (!hasBody(request.headers) || STREAMED_BODY.test(request.headers['content-type'] ?? ''))
      return payload;
    const { body, stop } = withinTime(payload, limits);
    // A body the route never reads (a 415 before parsing) leaves no timer behind.
    request.raw.once('close', stop);
    return body;
  });
}

/** `payload` as a stream that fails with a 408 once it pauses too long or takes too long in all. */
function withinTime(payload: Readable, limits: BodyTimeouts): { body: PassThrough; stop: () => void } {
  const body = new PassThrough();
  // The timeout may come when nothing reads the body any more (it was refused unread): not an uncaught error.
  body.on('error', () => undefined);
  const stop = watchBodyArrival(payload, { ...limits, what: 'body' }, (error) => {
    payload.unpipe(body);
    payload.pause();
    body.destroy(error);
  });
  payload.once('end', stop);
  payload.once('close', stop);
  payload.once('error', (error) => {
    stop();
    body.destroy(error);
  });
  payload.pipe(body);
  return { body, stop };
}

/**
 * A body sent with `Content-Encoding: gzip` (or br, deflate…) is refused with 415 on every route
 * (RFC 9110 §15.5.16): this server decodes no content coding, so the JSON parser would call compressed
 * bytes bad UTF-8 and an attachment upload would store them as if they were the file. A request without
 * a body has nothing the header could describe, and is answered as ever.
 */
function refuseEncodedBodies(fastify: FastifyInstance): void {
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    const coding = request.headers['content-encoding']?.trim().toLowerCase();
    if (coding && coding !== 'identity' && hasBody(request.headers))
      throw Object.assign(
        new Error('Request bodies are not decoded here: send them without Content-Encoding.'),
        {
          statusCode: 415,
        },
      );
    return payload;
  });
}

/** A body follows the headers: a non-zero Content-Length, or chunks (Transfer-Encoding). */
function hasBody(headers: IncomingHttpHeaders): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && !/^\s*0+\s*$/.test(length);
}
