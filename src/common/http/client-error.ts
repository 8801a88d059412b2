import { STATUS_CODES } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { FieldError } from '../errors/domain-errors';
import { problemType } from '../errors/problem-details';
import { REQUEST_TIMEOUT_CODE } from './stalled-body';

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
        ? // The client stopped sending its headers: the same answer as a body that stopped (`stalled-body.ts`).
          [408, REQUEST_TIMEOUT_CODE, 'The request took too long to arrive.']
        : [400, 'bad-request', 'The request could not be read.'];
  socket.end(problemResponse(status, code, detail));
}

const problemBody = (status: number, code: string, detail: string) =>
  JSON.stringify({ type: problemType(code), title: STATUS_CODES[status], status, detail });

/** One problem-details answer written straight on the socket, then the connection is closed. */
function problemResponse(status: number, code: string, detail: string): string {
  const body = problemBody(status, code, detail);
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

/**
 * The answers Node's HTTP server wrote by itself, before Fastify or Nest saw the request (probe input
 * r11): an `Expect` other than `100-continue` got a bare 417 with an empty body, and a `CONNECT` had its
 * socket destroyed without a word. Both are now problem details like every other refusal. (The third,
 * Node's bare 400 to an HTTP/1.1 request without Host, is switched off in the adapter's options,
 * `requireHostHeader: false`, and answered by `hostProblems` instead.)
 */
export function answerWhatNodeAnswered(server: Server): void {
  server.on('checkExpectation', (_request: IncomingMessage, response: ServerResponse) => {
    const body = problemBody(
      417,
      'expectation-failed',
      'Only the expectation "100-continue" is understood here.',
    );
    // The body may still be on its way: it is not read, so the connection cannot be used again.
    response
      .writeHead(417, {
        'content-type': 'application/problem+json',
        'content-length': Buffer.byteLength(body),
        connection: 'close',
      })
      .end(body);
  });
  server.on('connect', (_request: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => undefined);
    socket.end(
      problemResponse(405, 'method-not-allowed', 'This server is not a proxy: CONNECT is not served.'),
    );
  });
}

/**
 * `uri-host [":" port]` (RFC 9110 §7.2, RFC 3986 §3.2.2): a name or address (an IP literal in brackets),
 * or nothing, and an optional port; an IPv6 literal may carry its zone (RFC 6874, `[fe80::1%25eth0]`).
 * No user information, path, space or byte outside ASCII.
 */
const HOST = /^(?:\[[0-9A-Za-z:._~!$&'()*+,;=%-]+\]|[0-9A-Za-z._~!$&'()*+,;=%-]*)(?::(\d{0,5}))?$/;

/**
 * What is wrong with a request's Host header: RFC 9112 §3.2 has a server refuse with 400 an HTTP/1.1
 * request without it, any request that gives it twice, and one whose value names no host. Node refused
 * only the first, with an empty body; the others were served (probe input r11), so a proxy in front and
 * this server could each read a different host from one request. Nothing here reads the host today; the
 * request is refused before anything could.
 */
export function hostProblems(request: IncomingMessage): FieldError[] {
  const given: string[] = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2)
    if (request.rawHeaders[i]!.toLowerCase() === 'host') given.push(request.rawHeaders[i + 1]!);
  const problem = (message: string) => [{ field: 'Host', message }];
  if (given.length > 1) return problem('Host must be given once');
  if (given.length === 0)
    return request.httpVersion === '1.1' ? problem('Host is required in an HTTP/1.1 request') : [];
  const match = HOST.exec(given[0]!);
  if (!match || (match[1] !== undefined && match[1] !== '' && Number(match[1]) > 65535))
    return problem('Host must be a host name or address, with an optional port');
  return [];
}

/**
 * What is wrong with a request's target: a `#fragment` is never sent (RFC 9110 §4.2.5: a client removes it
 * before the request; the request-target of RFC 9112 §3.2 has no `#`). The router split the URL at `#` and read
 * what followed as a query string, so `GET /api/v1/cases#limit=1` was served as `?limit=1` (probe input
 * r11): a proxy or a log in front and this server read two different requests from one target. Refused
 * instead; a `#` in a path or query is sent percent-encoded (`%23`) and read as ever.
 */
export function requestTargetProblems(request: IncomingMessage): FieldError[] {
  return request.url?.includes('#')
    ? [{ field: 'request-target', message: 'the request target must not hold a fragment (#)' }]
    : [];
}
