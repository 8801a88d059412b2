import type { Readable } from 'node:stream';

/** A byte range, both ends inclusive (as HTTP `Range` says it). */
export interface ByteRange {
  start: number;
  end: number;
}

/** Bytes written to a temporary name, not yet under their content address. */
export interface TemporaryObject {
  readonly key: string;
}

/**
 * Where attachment bytes live. Content-addressed: the final name of a file is `sha256/<aa>/<hash>`,
 * so the same bytes uploaded twice are stored once. An upload is written to a temporary name first
 * (its hash is only known at the end of the stream) and then moved under its address; a refused or
 * interrupted upload discards the temporary object and leaves nothing behind.
 *
 * Two drivers implement it (local filesystem, S3-compatible) and pass one shared test suite
 * (`attachment-storage.contract.ts`).
 */
export abstract class AttachmentStorage {
  /** Streams `source` to a new temporary object. Rejects (having removed what it wrote) if the stream fails. */
  abstract writeTemporary(source: Readable): Promise<TemporaryObject>;

  /**
   * Moves a temporary object under the address of `sha256`. When those bytes are already stored the
   * temporary object is simply discarded. `created` says whether this call stored them.
   */
  abstract commit(temporary: TemporaryObject, sha256: string): Promise<{ created: boolean }>;

  /** Removes a temporary object; no error when it is already gone. */
  abstract discard(temporary: TemporaryObject): Promise<void>;

  /** The stored size of `sha256`, or null when nothing is stored under it. */
  abstract sizeOf(sha256: string): Promise<number | null>;

  /** The stored bytes (or a range of them). */
  abstract read(sha256: string, range?: ByteRange): Promise<Readable>;

  /**
   * Removes stored content. Only for content that no attachment row names (an upload whose
   * transaction failed after its bytes were committed); attachments themselves are never deleted.
   */
  abstract remove(sha256: string): Promise<void>;

  /** Every key the storage holds, temporary ones included (tests check nothing was left behind). */
  abstract listKeys(): Promise<string[]>;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** `sha256/<first two hex digits>/<hash>`: spreads files over 256 directories or prefixes. */
export function contentKey(sha256: string): string {
  // The hash comes from our own hashing, but a path built from it must never escape the store.
  if (!SHA256.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256}`);
  return `sha256/${sha256.slice(0, 2)}/${sha256}`;
}

export const TEMPORARY_PREFIX = 'tmp/';
