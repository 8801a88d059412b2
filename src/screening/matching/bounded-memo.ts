import { LRUCache } from 'lru-cache';

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

/** Every byte-bounded cache of the matching engine, so a test (and an operator) can read their size. */
const caches: Array<{ name: string; cache: LRUCache<string, { value: unknown }> }> = [];

/** Bytes held by the matching engine's caches, by cache, their total, and the sum of their caps. */
export function matchingCacheBytes(): { total: number; cap: number; byCache: Record<string, number> } {
  const byCache = Object.fromEntries(caches.map(({ name, cache }) => [name, cache.calculatedSize]));
  const cap = caches.reduce((sum, { cache }) => sum + cache.maxSize, 0);
  return { total: Object.values(byCache).reduce((a, b) => a + b, 0), cap, byCache };
}

/** An LRU cache bounded by the rough bytes of its keys and values; registered for {@link matchingCacheBytes}. */
export function byteBoundedCache<V>(name: string, maxBytes: number) {
  const cache = new LRUCache<string, { value: V }>({
    maxSize: maxBytes,
    // A value larger than a tenth of the cache is not kept: one entry never evicts most of the others.
    maxEntrySize: Math.floor(maxBytes / 10),
    sizeCalculation: (entry, key) => Math.max(1, roughBytes(key) + roughBytes(entry.value)),
  });
  caches.push({ name, cache: cache as LRUCache<string, { value: unknown }> });
  return {
    get: (key: string): V | undefined => cache.get(key)?.value,
    has: (key: string): boolean => cache.has(key),
    set: (key: string, value: V): void => void cache.set(key, { value }),
  };
}

/**
 * An LRU cache of small fixed-size values under number keys (pairs of part ids): no string to build
 * or hash per lookup, which matters at tens of thousands of comparisons per screening.
 */
export function pairCache<V>(name: string, maxBytes: number, bytesPerEntry = 64) {
  const cache = new LRUCache<number, { value: V }>({
    maxSize: maxBytes,
    sizeCalculation: () => bytesPerEntry,
  });
  caches.push({ name, cache: cache as unknown as LRUCache<string, { value: unknown }> });
  return {
    get: (key: number): V | undefined => cache.get(key)?.value,
    set: (key: number, value: V): void => void cache.set(key, { value }),
  };
}

/**
 * Remembers the results of a pure function of a string. Names repeat a lot across entries (a fifth of
 * Korean entries are Kims), so transliterating and folding each spelling once makes fresh database rows
 * nearly as cheap to score as cached ones. Least recently used results leave first once the cache
 * holds `maxBytes`, so a long-running server never grows it without bound, whatever the names.
 */
export function boundedMemo<R>(name: string, compute: (key: string) => R, maxBytes = 8 * 1024 * 1024) {
  const cache = byteBoundedCache<R>(name, maxBytes);
  return (key: string): R => {
    if (cache.has(key)) return cache.get(key) as R;
    const result = compute(key);
    cache.set(key, result);
    return result;
  };
}
