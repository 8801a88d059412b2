/**
 * Folds a name for search: case and accents go (`Nguyễn` → `nguyen`), scripts stay as they are, so a
 * query in Hangul finds Hangul and one in Latin letters finds Latin.
 */
export function foldName(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\s\p{P}]+/gu, ' ')
    .trim();
}

/** `M12-345 678` → `M12345678`: how document numbers are compared. */
export function foldDocumentNumber(value: string): string {
  return value.toUpperCase().replace(/[^\p{L}\p{N}]/gu, '');
}
