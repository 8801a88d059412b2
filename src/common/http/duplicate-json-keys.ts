import { visit, type JSONPath } from 'jsonc-parser';
import { MAX_INPUT_DEPTH } from './input-guard';

const pathOf = (path: JSONPath, key: string): string =>
  [...path, key].reduce<string>(
    (at, part) => (typeof part === 'number' ? `${at}[${part}]` : at ? `${at}.${part}` : part),
    '',
  );

/**
 * The first name that appears twice in one object of a JSON text, as a field path (`names[0].full`),
 * or null. `JSON.parse` keeps the last of the two silently, while a proxy or filter in front of the
 * server may have read the first: a body must mean one thing to everyone who reads it (RFC 8259 §4
 * leaves duplicate names undefined). `parsed` is the text as JSON.parse read it.
 */
export function duplicateJsonKey(text: string, parsed: unknown): string | null {
  // The visitor recurses once per level and overflows the stack at a few thousand; a body deeper than
  // the input guard allows is refused there (400 naming the field), so it is not read twice here.
  if (nestedDeeperThan(parsed, MAX_INPUT_DEPTH)) return null;
  // JSON.parse keeps one property per name and object, so the text names as many properties as the
  // value holds exactly when no object names one twice: only then is the text walked for the path.
  if (namesInText(text) === propertiesIn(parsed)) return null;
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

/** Whether objects and lists nest more than `limit` levels in a parsed value (iterative: any depth). */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth >= limit) return true;
    for (const item of Object.values(next.value)) stack.push({ value: item, depth: next.depth + 1 });
  }
  return false;
}

/** How many object member names a valid JSON text writes: strings followed by a colon. */
function namesInText(text: string): number {
  let names = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) !== 0x22) continue; // "
    i++;
    while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1; // \
    let next = i + 1;
    while (next < text.length && WHITESPACE.has(text.charCodeAt(next))) next++;
    if (text.charCodeAt(next) === 0x3a) names++; // :
  }
  return names;
}
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** How many own properties the objects of a parsed JSON value hold, all levels together. */
function propertiesIn(value: unknown): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (typeof next !== 'object' || next === null) continue;
    const items = Object.values(next);
    if (!Array.isArray(next)) count += items.length;
    for (const item of items) stack.push(item);
  }
  return count;
}
