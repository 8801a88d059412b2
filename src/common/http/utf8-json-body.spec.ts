import { jsonValueBudget, jsonValuesOver } from './utf8-json-body';

describe('jsonValuesOver', () => {
  const count = (text: string) => {
    let n = 0;
    while (jsonValuesOver(text, n)) n++;
    return n;
  };

  it('counts objects, lists, strings, numbers and literals, not member names', () => {
    expect(count('{}')).toBe(1);
    expect(count('{"a":1,"b":"x","c":[true,false,null,-1.5e+3]}')).toBe(8);
    expect(count('[{},{},[]]')).toBe(4);
    expect(count(' { "full" : "SOK Dara" , "kind" : "primary" } ')).toBe(3);
  });

  it('reads escaped quotes and colons inside strings as part of the string', () => {
    expect(count('{"a\\":b":"c:\\"d","e":"\\\\"}')).toBe(3);
  });

  it('stops at the first value past the limit', () => {
    expect(jsonValuesOver(`[${'0,'.repeat(1_000_000)}0]`, 10)).toBe(true);
    expect(jsonValuesOver('[0,0]', 3)).toBe(false);
  });

  it('gives a route one value per 16 bytes of its body limit', () => {
    expect(jsonValueBudget(1024 * 1024)).toBe(65_536);
    expect(jsonValueBudget(16 * 1024 * 1024)).toBe(1_048_576);
  });
});
