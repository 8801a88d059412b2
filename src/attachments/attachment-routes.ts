import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { UploadInput } from './attachment-upload.service';

/** OpenAPI for an upload route: a raw body named by `X-Filename`. */
export const ApiAttachmentUpload = () =>
  applyDecorators(
    ApiConsumes('application/octet-stream'),
    ApiBody({
      description: 'The file itself, raw (not multipart). Its type is detected from the bytes.',
      schema: { type: 'string', format: 'binary', maxLength: 5 * 1024 * 1024 * 1024 },
    }),
    ApiHeader({
      name: 'X-Filename',
      required: true,
      description: 'The file name, percent-encoded UTF-8 (no path separators or control characters).',
      schema: { type: 'string', maxLength: 1024 },
    }),
    ApiHeader({
      name: 'X-Supersedes',
      required: false,
      description: 'The id of the attachment this file is a new version of.',
      schema: { type: 'string', format: 'uuid', maxLength: 36 },
    }),
  );

/** The body (a stream unless the client sent JSON) and headers of an upload request. */
export function uploadInputOf(request: FastifyRequest): UploadInput {
  return {
    body: request.body,
    filename: request.headers['x-filename'],
    supersedes: request.headers['x-supersedes'],
    contentLength: request.headers['content-length'],
    socket: request.raw.socket,
  };
}
