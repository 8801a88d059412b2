import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import request from 'supertest';
import type { SignedIn } from '../support/http';
import type { TestApp } from '../support/test-app';

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A PDF good enough for type detection: header, padding, trailer. */
export function aPdf(bytes: number, seed = 'evidence'): Buffer {
  const head = Buffer.from(`%PDF-1.7\n% ${seed}\n`);
  const tail = Buffer.from('\n%%EOF\n');
  const body = Buffer.alloc(bytes - head.length - tail.length);
  for (let i = 0; i < body.length; i++) body[i] = 32 + ((i * 31 + seed.length) % 90);
  return Buffer.concat([head, body, tail]);
}

/** The smallest PNG signature + IHDR that file-type recognises, padded. */
export function aPng(extra = 1000): Buffer {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex');
  return Buffer.concat([signature, ihdr, Buffer.alloc(extra, 1)]);
}

/** Collects a binary response body whatever its content type. */
export const binary = (res: request.Response, callback: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
};

export function upload(
  t: TestApp,
  who: SignedIn,
  path: string,
  bytes: Buffer,
  filename: string | null,
  headers: Record<string, string> = {},
) {
  let req = request(t.server)
    .post(`/api/v1${path}`)
    .set('Authorization', `Bearer ${who.tokens.accessToken}`)
    .set('Content-Type', 'application/octet-stream');
  if (filename !== null) req = req.set('X-Filename', encodeURIComponent(filename));
  for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
  return req.send(bytes);
}

export function download(t: TestApp, who: SignedIn, id: string, headers: Record<string, string> = {}) {
  let req = request(t.server)
    .get(`/api/v1/attachments/${id}/content`)
    .set('Authorization', `Bearer ${who.tokens.accessToken}`);
  for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
  return req.buffer(true).parse(binary);
}

/** Every file under the storage root, as storage keys. */
export async function storedKeys(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/** The entries of a ZIP, by name. */
export async function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  const yauzl = await import('yauzl');
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error || !file) return reject(error ?? new Error('no zip'));
      const entries = new Map<string, Buffer>();
      file.on('error', reject);
      file.on('end', () => resolve(entries));
      file.on('entry', (entry: import('yauzl').Entry) => {
        file.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            file.readEntry();
          });
        });
      });
      file.readEntry();
    });
  });
}
