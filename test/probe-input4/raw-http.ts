import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * One request written byte for byte on a socket of its own: what a Node client refuses to send (a NUL
 * or another control character in a header, bytes that are not ASCII, a Content-Length the body does
 * not have). Resolves with the answer once the server closes or the declared body has arrived.
 */
export function rawRequest(server: Server, head: string, body: Buffer | string = ''): Promise<RawAnswer> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return reject(new Error(`no answer: ${JSON.stringify(text.slice(0, 200))}`));
      const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines) {
        const at = l.indexOf(':');
        headers[l.slice(0, at).toLowerCase()] = l.slice(at + 1).trim();
      }
      const length = Number(headers['content-length'] ?? NaN);
      const rest = Buffer.from(text.slice(end + 4), 'latin1');
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers,
        body: (Number.isNaN(length) ? rest : rest.subarray(0, length)).toString('utf8'),
      });
    };
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      // Answer complete: headers and the Content-Length they announce.
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const m = /\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, end));
      if (end >= 0 && m && Buffer.byteLength(text.slice(end + 4), 'latin1') >= Number(m[1])) {
        socket.destroy();
        done();
      }
    });
    socket.on('end', done);
    socket.on('error', (e) => (chunks.length ? done() : reject(e)));
    socket.write(
      Buffer.concat([Buffer.from(head, 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body)]),
    );
  });
}
