import type { FastifyInstance } from 'fastify';
import { notUtf8Charset } from '../common/http/utf8-json-body';

/** The raid batch (`POST /arrests/batch`, up to 2,000 arrests of JSON) may exceed the app's body limit. */
export const ARREST_BATCH_BODY_LIMIT = 16 * 1024 * 1024;
const BATCH_ROUTE = '/api/v1/arrests/batch';
/** The one route that takes a `text/csv` body. */
const IMPORT_ROUTE = '/api/v1/arrests/import';

/**
 * Called by `createApp` before the routes exist. Gives the batch route its own JSON body limit, and
 * lets the import route take `text/csv`: the parser hands the raw request stream to the route without
 * reading it; the route reads it under its own byte limit and timeouts (`upload-spool.ts`).
 * Every other route still answers 415 to a CSV body.
 */
export function registerArrestBodies(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    if (route.url === BATCH_ROUTE) route.bodyLimit = Math.max(route.bodyLimit ?? 0, ARREST_BATCH_BODY_LIMIT);
  });
  fastify.addContentTypeParser('text/csv', (request, payload, done) => {
    if (request.routeOptions.url !== IMPORT_ROUTE) {
      const error = Object.assign(new Error('This route takes JSON only (Content-Type: application/json).'), {
        statusCode: 415,
      });
      done(error, undefined);
      return;
    }
    const notUtf8 = notUtf8Charset(request.headers, 'CSV imports');
    done(notUtf8, notUtf8 ? undefined : payload);
  });
}
