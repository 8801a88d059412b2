import { duplicateJsonKey, nestedDeeperThan } from './duplicate-json-keys';
import { MAX_INPUT_DEPTH } from './input-guard';

/** As the body parser calls it: the text and what JSON.parse made of it. */
const check = (text: string) => duplicateJsonKey(text, JSON.parse(text));

describe('duplicateJsonKey', () => {
  it('names the first name given twice in one object, by its path', () => {
    expect(check('{"status":"a","status":"b"}')).toBe('status');
    expect(check('{"names":[{"full":"A"},{"full":"B","full":"C"}]}')).toBe('names[1].full');
    expect(check('{"a":{"b":{"c":1,"c":2}}}')).toBe('a.b.c');
  });

  it('lets the same name appear in different objects, and escaped spellings count as one name', () => {
    expect(check('{"a":{"x":1},"b":{"x":1},"x":[{"x":1},{"x":2}]}')).toBeNull();
    expect(check('{"full":"A","\\u0066ull":"B"}')).toBe('full');
    expect(check('[1,2,3]')).toBeNull();
    expect(check('"text"')).toBeNull();
  });

  it('leaves a body nested deeper than the input guard allows to the guard, at any depth', () => {
    const deep = (levels: number) => `{"names":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}`;
    expect(check(`{"x":1,"x":2,"y":${deep(MAX_INPUT_DEPTH - 2)}}`)).toBe('x');
    expect(check(`{"x":1,"x":2,"y":${deep(MAX_INPUT_DEPTH)}}`)).toBeNull();
    // Far deeper than the visitor's recursion reaches.
    expect(check(deep(50_000))).toBeNull();
  });
});

describe('nestedDeeperThan', () => {
  it('counts objects and lists as the input guard does', () => {
    expect(nestedDeeperThan({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(nestedDeeperThan({ a: [{ b: {} }] }, 3)).toBe(true);
    expect(nestedDeeperThan('text', 0)).toBe(false);
  });
});
