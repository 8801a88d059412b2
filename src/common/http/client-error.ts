import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { problemType } from '../errors/problem-details';

/**
 * What the HTTP server answers when a request cannot even be parsed (headers or URL past the size
 * limit, a malformed request line): the same problem details as every other error, not Fastify's own
 * JSON, then the connection is closed.
 */
export function problemOnClientError(error: Error & { code?: string }, socket: Socket): void {
  if (socket.destroyed || !socket.writable) return;
  const [status, code, detail] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [
          431,
          'headers-too-large',
          'The request line or headers are larger than allowed (a query string too long?).',
        ]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request-timeout', 'The request took too long to arrive.']
        : [400, 'bad-request', 'The request could not be read.'];
  const body = JSON.stringify({ type: problemType(code), title: STATUS_CODES[status], status, detail });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
