import { visit, type JSONPath } from 'jsonc-parser';

const pathOf = (path: JSONPath, key: string): string =>
  [...path, key].reduce<string>(
    (at, part) => (typeof part === 'number' ? `${at}[${part}]` : at ? `${at}.${part}` : part),
    '',
  );

/**
 * The first name that appears twice in one object of a JSON text, as a field path (`names[0].full`),
 * or null. `JSON.parse` keeps the last of the two silently, while a proxy or filter in front of the
 * server may have read the first: a body must mean one thing to everyone who reads it (RFC 8259 §4
 * leaves duplicate names undefined).
 */
export function duplicateJsonKey(text: string): string | null {
  const seen: Array<Set<string>> = [];
  let duplicate: string | null = null;
  visit(text, {
    onObjectBegin: () => {
      seen.push(new Set());
    },
    onObjectEnd: () => {
      seen.pop();
    },
    onObjectProperty: (name, _offset, _length, _line, _character, pathSupplier) => {
      const names = seen[seen.length - 1];
      if (duplicate !== null || !names) return;
      if (names.has(name)) duplicate = pathOf(pathSupplier(), name);
      names.add(name);
    },
  });
  return duplicate;
}
