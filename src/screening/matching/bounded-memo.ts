/**
 * A rough count of the bytes a value holds on the heap (strings at two bytes a character, a fixed
 * overhead per object and array). It only has to grow with the value: a cache bounded by it cannot be
 * filled with a few huge names, as a cache bounded by its number of entries could (issue 16: ten
 * names of U+FDFD, each expanding to thousands of letters, per request).
 */
export function roughBytes(value: unknown, depth = 0): number {
  if (typeof value === 'string') return 16 + 2 * value.length;
  if (value === null || typeof value !== 'object' || depth > 5) return 8;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + roughBytes(item, depth + 1), 16);
  return Object.values(value).reduce((sum: number, item) => sum + 8 + roughBytes(item, depth + 1), 32);
}

interface Sized<V> {
  value: V;
  bytes: number;
}

/**
 * A cache of at most `maxBytes` (as `sizeOf` counts them) in two generations of Maps. A hit in the newer
 * is one Map lookup; a hit in the older moves the entry to the newer; once the newer holds half the
 * bytes it becomes the older, and the older is dropped whole. What was used within the last half-cache
 * of inserts stays, as in an LRU, without an LRU's bookkeeping on every read: a screening at a million
 * entries reads these caches ~4,300 times, and lru-cache's reads and size accounting were a third of
 * the scoring's time (bench/README.md, session 29). lru-cache has no cheaper mode bounded by bytes.
 */
class TwoGenerationCache<K, V> {
  private newer = new Map<K, Sized<V>>();
  private older = new Map<K, Sized<V>>();
  private newerBytes = 0;
  private olderBytes = 0;

  constructor(
    readonly maxBytes: number,
    private readonly sizeOf: (key: K, value: V) => number,
  ) {}

  get calculatedSize(): number {
    return this.newerBytes + this.olderBytes;
  }

  lookup(key: K): Sized<V> | undefined {
    const found = this.newer.get(key);
    if (found) return found;
    const old = this.older.get(key);
    if (!old) return undefined;
    this.older.delete(key);
    this.olderBytes -= old.bytes;
    this.admit(key, old);
    return old;
  }

  set(key: K, value: V): void {
    const bytes = Math.max(1, this.sizeOf(key, value));
    // The key's old value goes either way: kept, it would be read back after this set.
    this.forget(key);
    // A value larger than a tenth of the cache is not kept: one entry never evicts most of the others.
    if (bytes > this.maxBytes / 10) return;
    this.admit(key, { value, bytes });
  }

  private forget(key: K): void {
    const newer = this.newer.get(key);
    if (newer && this.newer.delete(key)) this.newerBytes -= newer.bytes;
    const older = this.older.get(key);
    if (older && this.older.delete(key)) this.olderBytes -= older.bytes;
  }

  private admit(key: K, entry: Sized<V>): void {
    if (this.newerBytes + entry.bytes > this.maxBytes / 2) {
      this.older = this.newer;
      this.olderBytes = this.newerBytes;
      this.newer = new Map();
      this.newerBytes = 0;
    }
    this.newer.set(key, entry);
    this.newerBytes += entry.bytes;
  }
}

/** Every byte-bounded cache of the matching engine, so a test (and an operator) can read their size. */
const caches: Array<{ name: string; cache: { calculatedSize: number; maxBytes: number } }> = [];

/** Bytes held by the matching engine's caches, by cache, their total, and the sum of their caps. */
export function matchingCacheBytes(): { total: number; cap: number; byCache: Record<string, number> } {
  const byCache = Object.fromEntries(caches.map(({ name, cache }) => [name, cache.calculatedSize]));
  const cap = caches.reduce((sum, { cache }) => sum + cache.maxBytes, 0);
  return { total: Object.values(byCache).reduce((a, b) => a + b, 0), cap, byCache };
}

/** A cache bounded by the rough bytes of its keys and values; registered for {@link matchingCacheBytes}. */
export function byteBoundedCache<V>(name: string, maxBytes: number) {
  const cache = new TwoGenerationCache<string, V>(
    maxBytes,
    (key, value) => roughBytes(key) + roughBytes(value),
  );
  caches.push({ name, cache });
  return {
    /** The value kept under `key`, in a box so that a kept `undefined` is told from none. */
    lookup: (key: string): { value: V } | undefined => cache.lookup(key),
    get: (key: string): V | undefined => cache.lookup(key)?.value,
    set: (key: string, value: V): void => cache.set(key, value),
  };
}

/**
 * A cache of small fixed-size values under number keys (pairs of part ids): no string to build or hash
 * per lookup, which matters at tens of thousands of comparisons per screening.
 */
export function pairCache<V>(name: string, maxBytes: number, bytesPerEntry = 64) {
  const cache = new TwoGenerationCache<number, V>(maxBytes, () => bytesPerEntry);
  caches.push({ name, cache });
  return {
    get: (key: number): V | undefined => cache.lookup(key)?.value,
    set: (key: number, value: V): void => cache.set(key, value),
  };
}

/**
 * Remembers the results of a pure function of a string. Names repeat a lot across entries (a fifth of
 * Korean entries are Kims), so transliterating and folding each spelling once makes fresh database rows
 * nearly as cheap to score as cached ones. Results unused for the longest leave first once the cache
 * holds `maxBytes`, so a long-running server never grows it without bound, whatever the names.
 */
export function boundedMemo<R>(name: string, compute: (key: string) => R, maxBytes = 8 * 1024 * 1024) {
  const cache = byteBoundedCache<R>(name, maxBytes);
  return (key: string): R => {
    const kept = cache.lookup(key);
    if (kept) return kept.value;
    const result = compute(key);
    cache.set(key, result);
    return result;
  };
}
