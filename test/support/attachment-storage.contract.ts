import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { AttachmentStorage, contentKey } from '../../src/attachments/storage/attachment-storage';

export interface StorageUnderTest {
  storage: AttachmentStorage;
  /** Replaces stored bytes behind the storage's back (tampering, bit rot). */
  overwrite(key: string, bytes: Buffer): Promise<void>;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
/** A stream of `bytes` that fails after sending `failAfter` of them (an interrupted upload). */
function failing(bytes: Buffer, failAfter: number): Readable {
  return new Readable({
    read() {
      this.push(bytes.subarray(0, failAfter));
      this.destroy(new Error('client went away'));
    },
  });
}

/**
 * The one test suite both drivers pass: the filesystem driver on a temporary directory, the S3 driver
 * against a local S3-compatible server. `setUp` runs before each test with a fresh, empty store.
 */
export function describeAttachmentStorage(name: string, setUp: () => Promise<StorageUnderTest>): void {
  describe(`AttachmentStorage contract: ${name}`, () => {
    let s: StorageUnderTest;
    beforeEach(async () => {
      s = await setUp();
    });

    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3 * 1024 * 1024 + 17, 7)]);

    it('stores bytes under their hash and reads them back whole and by range', async () => {
      const temp = await s.storage.writeTemporary(Readable.from([bytes]));
      expect(await s.storage.commit(temp, sha(bytes))).toEqual({ created: true });
      expect(await s.storage.listKeys()).toEqual([contentKey(sha(bytes))]);
      expect(await s.storage.sizeOf(sha(bytes))).toBe(bytes.length);
      expect(sha(await collect(await s.storage.read(sha(bytes))))).toBe(sha(bytes));
      const part = await collect(await s.storage.read(sha(bytes), { start: 5, end: 1_000_004 }));
      expect(part.equals(bytes.subarray(5, 1_000_005))).toBe(true);
    });

    it('stores the same bytes twice once', async () => {
      const first = await s.storage.writeTemporary(Readable.from([bytes]));
      const second = await s.storage.writeTemporary(Readable.from([bytes]));
      expect(await s.storage.commit(first, sha(bytes))).toEqual({ created: true });
      expect(await s.storage.commit(second, sha(bytes))).toEqual({ created: false });
      expect(await s.storage.listKeys()).toEqual([contentKey(sha(bytes))]);
    });

    it('leaves nothing behind when the source stream fails half way', async () => {
      await expect(s.storage.writeTemporary(failing(bytes, 1024 * 1024))).rejects.toThrow();
      expect(await s.storage.listKeys()).toEqual([]);
    });

    it('leaves nothing behind when a temporary object is discarded', async () => {
      const temp = await s.storage.writeTemporary(Readable.from([bytes]));
      expect((await s.storage.listKeys()).length).toBe(1);
      await s.storage.discard(temp);
      await s.storage.discard(temp);
      expect(await s.storage.listKeys()).toEqual([]);
    });

    it('answers null for content it does not hold, and refuses to read it', async () => {
      expect(await s.storage.sizeOf('0'.repeat(64))).toBeNull();
      await expect(s.storage.read('0'.repeat(64))).rejects.toThrow();
      expect(() => contentKey('../../etc/passwd')).toThrow();
    });

    it('reads what is stored now, so a change behind its back shows in the hash', async () => {
      const temp = await s.storage.writeTemporary(Readable.from([bytes]));
      await s.storage.commit(temp, sha(bytes));
      const changed = Buffer.from(bytes);
      changed[100] ^= 0xff;
      await s.overwrite(contentKey(sha(bytes)), changed);
      expect(sha(await collect(await s.storage.read(sha(bytes))))).toBe(sha(changed));
    });

    it('removes content no attachment names', async () => {
      const temp = await s.storage.writeTemporary(Readable.from([Buffer.from('hello')]));
      await s.storage.commit(temp, sha(Buffer.from('hello')));
      await s.storage.remove(sha(Buffer.from('hello')));
      expect(await s.storage.listKeys()).toEqual([]);
    });
  });
}
