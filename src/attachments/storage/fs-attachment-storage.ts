import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { link, mkdir, readdir, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AttachmentStorage,
  ByteRange,
  contentKey,
  TEMPORARY_PREFIX,
  TemporaryObject,
} from './attachment-storage';

/** The default driver: files under one directory (`DATA_DIR/attachments`), no set-up. */
export class FsAttachmentStorage extends AttachmentStorage {
  constructor(private readonly root: string) {
    super();
  }

  async writeTemporary(source: Readable): Promise<TemporaryObject> {
    const key = `${TEMPORARY_PREFIX}${randomUUID()}`;
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    try {
      // `wx`: a fresh file, never an existing one.
      await pipeline(source, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    return { key };
  }

  async commit(temporary: TemporaryObject, sha256: string): Promise<{ created: boolean }> {
    const target = this.pathOf(contentKey(sha256));
    await mkdir(dirname(target), { recursive: true });
    try {
      // A hard link fails when the target exists, so two uploads of the same bytes racing here
      // cannot overwrite each other (rename would silently replace).
      await link(this.pathOf(temporary.key), target);
      return { created: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return { created: false };
    } finally {
      await this.discard(temporary);
    }
  }

  async discard(temporary: TemporaryObject): Promise<void> {
    await unlink(this.pathOf(temporary.key)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  async sizeOf(sha256: string): Promise<number | null> {
    try {
      return (await stat(this.pathOf(contentKey(sha256)))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async read(sha256: string, range?: ByteRange): Promise<Readable> {
    const path = this.pathOf(contentKey(sha256));
    const stream = createReadStream(path, range ? { start: range.start, end: range.end } : {});
    // Surface a missing file here rather than as a stream error after the headers are sent.
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    return stream;
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(contentKey(sha256)), { force: true });
  }

  async listKeys(): Promise<string[]> {
    const entries = await readdir(this.root, { recursive: true, withFileTypes: true }).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw error;
      },
    );
    return entries
      .filter((e) => e.isFile())
      .map((e) => relative(this.root, join(e.parentPath, e.name)).split(sep).join('/'))
      .sort();
  }

  private pathOf(key: string): string {
    return join(this.root, ...key.split('/'));
  }
}
