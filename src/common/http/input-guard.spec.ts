import {
  inputProblems,
  MAX_INPUT_DEPTH,
  MAX_INPUT_FIELDS,
  MAX_INPUT_ITEMS,
  repeatedHeaderProblems,
  undecodableQueryProblems,
} from './input-guard';

describe('inputProblems', () => {
  it('names the field of a NUL, another C0 or a C1 control character, DEL or an unpaired surrogate, keys included', () => {
    expect(
      inputProblems({
        title: 'a\u0000b',
        names: [{ full: 'ok' }, { full: 'bell\u0007' }],
        summary: 'tab\tnewline\ncarriage\r ok 😀',
        ['k\u0001']: 'x',
        lone: 'x\ud800',
        csi: '\u009b31m red',
        nel: 'a\u0085b',
        del: 'a\u007fb',
      })
        .map((p) => p.field)
        .sort(),
    ).toEqual(['body', 'csi', 'del', 'lone', 'names[1].full', 'nel', 'title']);
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

  it('refuses an object wider than any of this API, named by the top-level field, body and query alike', () => {
    const wide = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 0]));
    expect(inputProblems({ person: wide(MAX_INPUT_FIELDS) })).toEqual([]);
    expect(inputProblems({ person: { names: [wide(MAX_INPUT_FIELDS + 1)] } })).toEqual([
      {
        field: 'person',
        message: `person.names[0] has ${MAX_INPUT_FIELDS + 1} fields; no object of this API has more than ${MAX_INPUT_FIELDS}`,
      },
    ]);
    expect(inputProblems(wide(100_000), '', 'parameter')).toEqual([
      {
        field: 'query',
        message: `query has 100000 parameters; no object of this API has more than ${MAX_INPUT_FIELDS}`,
      },
    ]);
  });

  it('refuses a list longer than any of this API without walking its items, named by the top-level field', () => {
    const list = (n: number) => Array.from({ length: n }, () => ({ full: '\u0000' }));
    // At the limit the items are walked (and the NUL found); past it, the length alone is named.
    expect(inputProblems({ names: list(MAX_INPUT_ITEMS) }).length).toBeGreaterThan(0);
    expect(inputProblems({ person: { names: list(MAX_INPUT_ITEMS + 1) } })).toEqual([
      {
        field: 'person',
        message: `person.names has ${MAX_INPUT_ITEMS + 1} items; no list of this API has more than ${MAX_INPUT_ITEMS}`,
      },
    ]);
    expect(inputProblems(new Array(5_000_000).fill(0))).toEqual([
      {
        field: 'body',
        message: `body has 5000000 items; no list of this API has more than ${MAX_INPUT_ITEMS}`,
      },
    ]);
  });

  it('leaves numbers, booleans, null and ordinary text alone', () => {
    expect(inputProblems({ a: 1, b: true, c: null, d: ['KIM Min-jun', '김민준', 'ﷺ'] })).toEqual([]);
  });
});

describe('inputProblems: names of Object.prototype members', () => {
  it('names query parameters that are Object.prototype members, and nothing else', () => {
    // As a query parser leaves them: own properties, `__proto__` included.
    const query: unknown = JSON.parse(
      '{"toString":"1","__proto__":"x","status":"sent","constructorName":"y"}',
    );
    expect(inputProblems(query, '', 'parameter')).toEqual([
      { field: 'toString', message: 'toString is not a parameter of this API' },
      { field: '__proto__', message: '__proto__ is not a parameter of this API' },
    ]);
    expect(inputProblems({ status: 'sent' }, '', 'parameter')).toEqual([]);
  });

  it('names body fields that are Object.prototype members at any depth, by their path', () => {
    const body = { names: [{ full: 'A', hasOwnProperty: '1' }], valueOf: 2, tags: { constructor: 'x' } };
    expect(
      inputProblems(body)
        .map((p) => p.field)
        .sort(),
    ).toEqual(['names[0].hasOwnProperty', 'tags.constructor', 'valueOf']);
    expect(inputProblems(body).find((p) => p.field === 'valueOf')?.message).toBe(
      'valueOf is not a field of this API',
    );
  });

  it('names `prototype` too, which the ValidationPipe would delete without a word', () => {
    expect(inputProblems({ title: 'x', names: [{ prototype: 1 }] })).toEqual([
      { field: 'names[0].prototype', message: 'names[0].prototype is not a field of this API' },
    ]);
    expect(inputProblems({ prototype: '1' }, '', 'parameter')).toEqual([
      { field: 'prototype', message: 'prototype is not a parameter of this API' },
    ]);
  });
});

describe('undecodableQueryProblems', () => {
  it('names each parameter whose percent-encoded bytes are not UTF-8', () => {
    expect(undecodableQueryProblems('/api/v1/persons?q=%FF&status=open&ref=%E2%82')).toEqual([
      { field: 'q', message: 'q must be valid UTF-8 text, percent-encoded' },
      { field: 'ref', message: 'ref must be valid UTF-8 text, percent-encoded' },
    ]);
    expect(undecodableQueryProblems('/x?%C0=1')).toEqual([
      { field: 'query', message: 'query must be valid UTF-8 text, percent-encoded' },
    ]);
  });

  it('leaves UTF-8, plus signs and a lone percent sign alone', () => {
    expect(undecodableQueryProblems('/x?q=%EA%B9%80+%EC%A7%80%ED%9B%88&r=100%&s=%zz')).toEqual([]);
    expect(undecodableQueryProblems('/x/%E2%82')).toEqual([]);
  });
});

describe('repeatedHeaderProblems', () => {
  it('names a single-valued header given twice, whatever its case, and leaves repeatable ones alone', () => {
    expect(
      repeatedHeaderProblems([
        'authorization',
        'Bearer a',
        'Authorization',
        'Bearer b',
        'X-Filename',
        'a.txt',
        'x-filename',
        'b.txt',
        'Accept',
        'application/json',
        'Accept',
        'text/csv',
        'Content-Type',
        'application/json',
      ]),
    ).toEqual([
      { field: 'Authorization', message: 'Authorization is given more than once' },
      { field: 'X-Filename', message: 'X-Filename is given more than once' },
    ]);
    expect(repeatedHeaderProblems(['Authorization', 'Bearer a', 'Range', 'bytes=0-1'])).toEqual([]);
  });
});
