import { inputProblems, MAX_INPUT_DEPTH, prototypeNamesIn } from './input-guard';

describe('inputProblems', () => {
  it('names the field of a NUL, another control character or an unpaired surrogate, keys included', () => {
    expect(
      inputProblems({
        title: 'a\u0000b',
        names: [{ full: 'ok' }, { full: 'bell\u0007' }],
        summary: 'tab\tnewline\ncarriage\r ok 😀',
        ['k\u0001']: 'x',
        lone: 'x\ud800',
      })
        .map((p) => p.field)
        .sort(),
    ).toEqual(['body', 'lone', 'names[1].full', 'title']);
  });

  it('refuses nesting beyond the limit, named by the top-level field, without exhausting its own stack', () => {
    const deep = (depth: number): unknown =>
      JSON.parse('{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1));
    expect(inputProblems({ tags: deep(MAX_INPUT_DEPTH - 1) })).toEqual([]);
    expect(inputProblems({ tags: deep(MAX_INPUT_DEPTH) })).toEqual([
      { field: 'tags', message: `tags is nested deeper than ${MAX_INPUT_DEPTH} levels` },
    ]);
    // Far deeper than any recursive walk could go.
    expect(inputProblems(deep(200_000))).toEqual([
      { field: 'a', message: `a is nested deeper than ${MAX_INPUT_DEPTH} levels` },
    ]);
  });

  it('refuses a list directly inside a list, named by the top-level field', () => {
    expect(inputProblems({ names: [{ full: 'A' }, [{ full: 'B' }]] })).toEqual([
      { field: 'names', message: 'names[1] is a list inside a list; an object or a value is expected' },
    ]);
  });

  it('leaves numbers, booleans, null and ordinary text alone', () => {
    expect(inputProblems({ a: 1, b: true, c: null, d: ['KIM Min-jun', '김민준', 'ﷺ'] })).toEqual([]);
  });
});

describe('prototypeNamesIn', () => {
  it('names query parameters that are Object.prototype members, and nothing else', () => {
    // As a query parser leaves them: own properties, `__proto__` included.
    const query: unknown = JSON.parse('{"toString":"1","__proto__":"x","status":"sent","constructorName":"y"}');
    expect(prototypeNamesIn(query).map((p) => p.field)).toEqual(['toString', '__proto__']);
    expect(prototypeNamesIn({ status: 'sent' })).toEqual([]);
  });
});
