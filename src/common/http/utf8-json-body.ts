import { isUtf8 } from 'node:buffer';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { ValidationFailedError } from '../errors/domain-errors';
import { duplicateJsonKey } from './duplicate-json-keys';

/**
 * JSON bodies must be UTF-8 (RFC 8259). Fastify's own parser decodes with replacement, so a Latin-1
 * body was stored with U+FFFD in place of its letters; this one refuses it (400, naming the body) and
 * a declared charset other than UTF-8 (415), then parses with Fastify's default parser, keeping its
 * prototype-poisoning checks, and refuses a name given twice in one object (400, naming it).
 */
export function registerUtf8JsonBodies(fastify: FastifyInstance): void {
  refuseEncodedBodies(fastify);
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
 * A 415 for a body declared in a charset other than UTF-8 (`what` names the bodies: "JSON bodies"),
 * or null: the text routes read UTF-8 only, and would otherwise read the bytes as if they were.
 */
export function notUtf8Charset(headers: IncomingHttpHeaders, what: string): Error | null {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(headers['content-type'] ?? '')?.[1];
  if (!charset || /^utf-?8$/i.test(charset)) return null;
  return Object.assign(new Error(`${what} are UTF-8: send charset=utf-8 or none.`), { statusCode: 415 });
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
