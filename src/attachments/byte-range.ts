import type { ByteRange } from './storage/attachment-storage';
import { RangeNotSatisfiableError } from './attachment-errors';

/**
 * The one byte range of a `Range` header (RFC 9110 §14.1.2), or null to send the whole file: no
 * header, another unit, several ranges or a malformed one (which the RFC says to ignore). A range
 * that starts beyond the end is refused with 416.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) throw new RangeNotSatisfiableError(size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return null;
  if (start >= size) throw new RangeNotSatisfiableError(size);
  return { start, end };
}
