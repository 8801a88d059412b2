import { inputProblems, MAX_INPUT_DEPTH } from './input-guard';

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
    const deep = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth));
    expect(inputProblems({ tags: deep(MAX_INPUT_DEPTH - 1) })).toEqual([]);
    expect(inputProblems({ tags: deep(MAX_INPUT_DEPTH) })).toEqual([
      { field: 'tags', message: `tags is nested deeper than ${MAX_INPUT_DEPTH} levels` },
    ]);
    // Far deeper than any recursive walk could go.
    expect(inputProblems(deep(200_000))).toEqual([
      { field: 'body', message: `body is nested deeper than ${MAX_INPUT_DEPTH} levels` },
    ]);
  });

  it('leaves numbers, booleans, null and ordinary text alone', () => {
    expect(inputProblems({ a: 1, b: true, c: null, d: ['KIM Min-jun', '김민준', 'ﷺ'] })).toEqual([]);
  });
});
