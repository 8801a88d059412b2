import { namedByDefault, statementName } from './named-statements';

describe('named statements', () => {
  const long = (i: number) => `SELECT ${i} AS n FROM person WHERE id = $1 /* ${'x'.repeat(1000)} */`;

  it('names long parameterised reads only', () => {
    expect(namedByDefault(long(1), ['id'])).toBe(true);
    expect(namedByDefault(`  WITH x AS (SELECT 1) ${long(1)}`, ['id'])).toBe(true);
    expect(namedByDefault(long(1), [])).toBe(false);
    expect(namedByDefault(long(1), undefined)).toBe(false);
    expect(namedByDefault('SELECT 1 FROM person WHERE id = $1', ['id'])).toBe(false);
    expect(namedByDefault(`UPDATE person SET names = $1 /* ${'x'.repeat(1000)} */`, ['n'])).toBe(false);
  });

  it('gives a text one name, and none to new texts once the bound is reached', () => {
    expect(statementName(long(0))).toBe(statementName(long(0)));
    expect(statementName(long(0))).not.toBe(statementName(long(1)));
    // 4 MB of text: about 3,900 of these; 512 names come first.
    const names = new Set<string | undefined>();
    for (let i = 0; i < 600; i++) names.add(statementName(long(i)));
    expect(names.has(undefined)).toBe(true);
    expect(names.size).toBe(513); // 512 names and "none"
    expect(statementName(long(0))).toBeDefined();
    expect(statementName(long(599))).toBeUndefined();
  });
});
