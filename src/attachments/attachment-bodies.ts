import type { FastifyInstance } from 'fastify';

/** Upload routes: `POST /api/v1/<parent>/:id/attachments` (and a freeze request's `…/targets/:targetId/…`). */
const UPLOAD_ROUTE = /^\/api\/v1\/[a-z-]+\/:id(\/targets\/:targetId)?\/attachments$/;

/**
 * Called by `createApp` before the routes exist. Lets the upload routes take a raw
 * `application/octet-stream` body: the parser hands the request stream to the route unread, so a file
 * of any size streams to storage (the upload enforces `ATTACHMENT_MAX_BYTES` itself, byte by byte).
 * Every other route still answers 415 to such a body.
 */
export function registerAttachmentBodies(fastify: FastifyInstance): void {
  fastify.addContentTypeParser('application/octet-stream', (request, payload, done) => {
    if (!UPLOAD_ROUTE.test(request.routeOptions.url ?? '')) {
      const error = Object.assign(new Error('This route takes JSON only (Content-Type: application/json).'), {
        statusCode: 415,
      });
      done(error, undefined);
      return;
    }
    done(null, payload);
  });
}
