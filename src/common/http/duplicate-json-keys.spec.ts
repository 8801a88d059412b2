import { duplicateJsonKey } from './duplicate-json-keys';

describe('duplicateJsonKey', () => {
  it('names the first name given twice in one object, by its path', () => {
    expect(duplicateJsonKey('{"status":"a","status":"b"}')).toBe('status');
    expect(duplicateJsonKey('{"names":[{"full":"A"},{"full":"B","full":"C"}]}')).toBe('names[1].full');
    expect(duplicateJsonKey('{"a":{"b":{"c":1,"c":2}}}')).toBe('a.b.c');
  });

  it('lets the same name appear in different objects, and escaped spellings count as one name', () => {
    expect(duplicateJsonKey('{"a":{"x":1},"b":{"x":1},"x":[{"x":1},{"x":2}]}')).toBeNull();
    expect(duplicateJsonKey('{"full":"A","\\u0066ull":"B"}')).toBe('full');
    expect(duplicateJsonKey('[1,2,3]')).toBeNull();
    expect(duplicateJsonKey('"text"')).toBeNull();
  });
});
