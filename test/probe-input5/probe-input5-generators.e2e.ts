import request from 'supertest';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { createTestApp, TestApp } from '../support/test-app';
import { holds, ROUTE_PERMISSIONS } from '../security/authorization-expectations';
import { ROUTE_EXAMPLES } from '../security/route-examples';
import {
  buildWorld,
  declaredQueryNames,
  describeChange,
  loadRoutes,
  ownWriteTarget,
  snapshotter,
  Route,
  SignedCaller,
  signInEveryone,
  versionLookup,
  World,
} from '../security/security-support';
import { refusalFault, writeWatch } from '../probe-input4/probe-input4-support';
import { rawRequest } from '../probe-input4/raw-http';
import type { Permission } from '../../src/common/permissions/permissions';

/**
 * Probe (input round 5): the generators earlier rounds lacked, on every route of the OpenAPI document
 * by a caller the route lets in, on that caller's own records (test/security's world). Nothing found
 * here (the findings are the other case files of this folder); kept so that a new route or field that
 * answers a 500, or a refusal without its problem body, fails.
 *
 * - Text in every string field of every example body: lone surrogates, U+FFFF, an RTL override, a
 *   combining-mark flood, and runs that grow under NFKC, NFKD or case folding (U+FDFA, U+0390, ß, ﬃ).
 * - Numbers and wrong types in every scalar field: 1e309, -1e309, 2^53+1, 23 digits, a 50-digit
 *   decimal, 4.9e-324, and `{}`, `[]`, `"1"` where a number or string is expected.
 * - Bodies and transport on every JSON route: top-level non-objects, a BOM, names with NUL, C1, a lone
 *   surrogate or U+FFFE, media types (merge-patch, json-patch, latin1, UTF-16, problem+json), codings
 *   (x-gzip, zstd, `identity, gzip`, upper case).
 * - Every documented query parameter and path parameter with values PostgreSQL or the decoder would
 *   choke on (overlong UTF-8, code points past U+10FFFF, cut sequences, ids in braces or without dashes).
 * - HTTP framing on a socket, and prototype pollution nested in lists and objects.
 */
describe('Probe: generators earlier rounds lacked, on every route', () => {
  let t: TestApp;
  let all: Route[];
  let callers: SignedCaller[];
  let world: World;
  /** One JSON route per request body schema (forty workflow steps share one), each with its example. */
  let bySchema: Route[];
  beforeAll(async () => {
    t = await createTestApp();
    all = await loadRoutes(t);
    const doc = (await request(t.server).get('/api/docs-json').expect(200)).body as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } }>
      >;
    };
    const schemaOf = (r: Route) =>
      doc.paths[r.path]?.[r.method.toLowerCase()]?.requestBody?.content?.['application/json']?.schema?.$ref;
    const seen = new Set<string>();
    bySchema = all.filter((r) => {
      const schema = schemaOf(r);
      if (!r.hasJsonBody || !ROUTE_EXAMPLES[r.key] || !schema || seen.has(schema)) return false;
      seen.add(schema);
      return true;
    });
    callers = await signInEveryone(t);
    world = await buildWorld(t, callers);
  }, 60_000);
  afterAll(() => t?.close());

  const targetOf = (route: Route) => {
    const permission = ROUTE_PERMISSIONS[route.key];
    const target = ownWriteTarget(route, permission, callers, world, (roles) =>
      holds(roles, permission as Permission),
    );
    return {
      token: target?.caller.http.tokens.accessToken,
      url: target?.url ?? route.path,
      id: target?.recordId,
    };
  };
  const call = (
    method: string,
    url: string,
    token: string | undefined,
    body?: string | Buffer,
    headers: Record<string, string> = {},
  ) => {
    let req = request(t.server)[method.toLowerCase() as 'post'](url);
    if (token) req = req.set('Authorization', `Bearer ${token}`);
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
    return body === undefined ? req : req.send(body);
  };
  /** A 500, or a 4xx without its problem body: one line each. */
  const wrongIn = (what: string, res: request.Response, accepted: (status: number) => boolean) =>
    accepted(res.status)
      ? []
      : res.status < 400 || res.status >= 500
        ? [`${what} → ${res.status}`]
        : refusalFault(res).map((f) => `${what} → ${f}`);
  const anyAnswer = (status: number) => status < 400;
  const refusedOnly = () => false;

  /** Each scalar of an example body, as a path to it. */
  const scalarPaths = (
    value: unknown,
    at: (string | number)[] = [],
  ): { at: (string | number)[]; kind: string }[] =>
    Array.isArray(value)
      ? value.flatMap((v, i) => scalarPaths(v, [...at, i]))
      : value && typeof value === 'object'
        ? Object.entries(value).flatMap(([k, v]) => scalarPaths(v, [...at, k]))
        : [{ at, kind: typeof value }];
  /** The example body with the scalar at `at` written as `json` (raw JSON text). */
  const withValue = (example: object, at: (string | number)[], json: string) => {
    const copy = JSON.parse(JSON.stringify(example)) as Record<string | number, unknown>;
    let node: Record<string | number, unknown> = copy;
    for (const key of at.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    node[at.at(-1)!] = '\u0000PLACE\u0000';
    return JSON.stringify(copy).replace('"\\u0000PLACE\\u0000"', json);
  };

  async function sweepScalars(
    values: (kind: string) => { label: string; json: string; refused?: boolean }[],
  ) {
    const versionOf = await versionLookup(t);
    const wrong: string[] = [];
    let sent = 0;
    for (const route of bySchema) {
      const { token, url, id } = targetOf(route);
      const example = async () =>
        ROUTE_EXAMPLES[route.key]!({ ...world.context.KR, version: id ? await versionOf(id) : 1 });
      for (const { at, kind } of scalarPaths(await example()))
        for (const { label, json, refused } of values(kind)) {
          const res = await call(route.method, url, token, withValue(await example(), at, json), {
            'Content-Type': 'application/json',
          });
          sent++;
          wrong.push(
            ...wrongIn(`${route.key} ${at.join('.')}=${label}`, res, refused ? refusedOnly : anyAnswer),
          );
        }
    }
    return { wrong, sent };
  }

  it('text that is not text, or grows when normalised, in every string field: the request’s normal answer or a 4xx problem, a lone surrogate always refused', async () => {
    const text = (s: string) => JSON.stringify(s);
    const { wrong, sent } = await sweepScalars((kind) =>
      kind !== 'string'
        ? []
        : [
            { label: 'lone surrogates', json: '"a\\ud800b\\udfff"', refused: true },
            { label: 'U+FFFF after an RTL override', json: text('\u202eexe.txt\uffff') },
            { label: '198 combining marks', json: text(`a${'\u0301'.repeat(198)}`) },
            { label: 'U+FDFA and ffi x 30', json: text('\ufdfa\ufb03'.repeat(30)) },
            { label: 'U+0390 and sharp s x 99', json: text('\u0390ß'.repeat(99)) },
          ],
    );
    expect(sent).toBeGreaterThan(200);
    expect(wrong).toEqual([]);
  });

  it('numbers out of every range and values of the wrong type in every scalar field: the normal answer or a 4xx problem', async () => {
    const { wrong, sent } = await sweepScalars((kind) =>
      [
        '1e309',
        '-1e309',
        '9007199254740993',
        '100000000000000000000000000000000000000000000000000.5',
        '{}',
        '[]',
        ...(kind === 'number' ? ['"1"', '-0', '4.9e-324'] : []),
      ].map((json) => ({ label: json, json })),
    );
    expect(sent).toBeGreaterThan(300);
    expect(wrong).toEqual([]);
  });

  it('top-level non-objects, hostile names, foreign media types and content codings on every JSON route: a 4xx problem, nothing written', async () => {
    const watch = await writeWatch(t);
    const before = await watch();
    const wrong: string[] = [];
    for (const route of bySchema) {
      const { token, url } = targetOf(route);
      const json = (body: string | Buffer, headers: Record<string, string> = {}) =>
        call(route.method, url, token, body, { 'Content-Type': 'application/json', ...headers });
      for (const body of [
        '[]',
        '"x"',
        '1',
        'true',
        '\ufeff[]',
        '{}{}',
        '{"\\u0000":1}',
        '{"a\\u0085":1}',
        '{"\\ud800":1}',
        '{"\\ufffe":1}',
        '{"a":1,"a":1}',
      ])
        wrong.push(...wrongIn(`${route.key} body ${JSON.stringify(body)}`, await json(body), refusedOnly));
      for (const type of [
        'application/merge-patch+json',
        'application/json-patch+json',
        'application/json; charset=latin1',
        'application/json;charset=utf-16le',
        'text/json',
        'application/problem+json',
      ])
        wrong.push(
          ...wrongIn(`${route.key} type ${type}`, await json('{}', { 'Content-Type': type }), refusedOnly),
        );
      const example = JSON.stringify(ROUTE_EXAMPLES[route.key]?.({ ...world.context.KR, version: 1 }) ?? {});
      for (const [coding, bytes] of [
        ['x-gzip', gzipSync(example)],
        ['deflate', deflateSync(example)],
        ['br', brotliCompressSync(example)],
        ['zstd', Buffer.from(example)],
        ['identity, gzip', gzipSync(example)],
        ['GZIP', gzipSync(example)],
      ] as const)
        wrong.push(
          ...wrongIn(
            `${route.key} coding ${coding}`,
            await json(bytes, { 'Content-Encoding': coding }),
            refusedOnly,
          ),
        );
    }
    expect(wrong).toEqual([]);
    expect(describeChange(before, await watch())).toBe('');
  });

  it('query and path values the decoder or PostgreSQL would choke on, on every route: a page, a 404 or a 4xx problem, no record written', async () => {
    // Reads of the audit trail and refused reads of files are audited by design: records only here.
    const watch = await snapshotter(t);
    const before = await watch();
    const names = await declaredQueryNames(t);
    const wrong: string[] = [];
    const QUERY = [
      '%EF%B7%BA'.repeat(1000),
      encodeURIComponent('ß'.repeat(2000)),
      encodeURIComponent(`a${'\u0301'.repeat(3000)}`),
      '%EF%BF%BE',
      '%C0%AE',
      '%F4%90%80%80',
      '%F0%9F%98',
      '%EF%BC%91',
      '+1',
      '{00000000-0000-4000-8000-000000000000}',
      '00000000000040008000000000000000',
    ];
    // Each parameter name on up to three routes (limit and cursor are on thirty).
    const triedName = new Map<string, number>();
    for (const route of all.filter((r) => r.method === 'GET')) {
      const { token, url } = targetOf(route);
      for (const name of names.get(route.key) ?? []) {
        triedName.set(name, (triedName.get(name) ?? 0) + 1);
        if (triedName.get(name)! > 3) continue;
        for (const value of QUERY)
          wrong.push(
            ...wrongIn(
              `${route.key} ?${name}=${value.slice(0, 24)}`,
              await call('GET', `${url}?${name}=${value}`, token),
              anyAnswer,
            ),
          );
      }
    }
    const PATH = [
      '%C0%AE%C0%AE',
      '%F4%90%80%80',
      '%EF%BF%BF',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      '{00000000-0000-4000-8000-000000000000}',
      'urn:uuid:00000000-0000-4000-8000-000000000000',
      '00000000000040008000000000000000',
      '00000000-0000-4000-8000-000000000000%0A',
      '00000000-0000-4000-8000-00000000000g',
      '%EF%BC%AB%EF%BC%B2',
      encodeURIComponent('\u212aR'),
    ];
    // Every parameter kind (ids, country codes) of every resource, on one route of each.
    const triedShape = new Set<string>();
    const withParams = all.filter((r) => {
      const shape = `${r.path.split('/')[3]} ${r.path.replace(/[^{}]*(\{[^}]+\})[^{}]*/g, '$1')}`;
      if (!r.path.includes('{') || triedShape.has(shape)) return false;
      triedShape.add(shape);
      return true;
    });
    for (const route of withParams)
      for (const value of PATH) {
        const { token } = targetOf(route);
        const res = await call(
          route.method,
          route.path.replace(/\{[^}]+\}/g, value),
          token,
          route.method === 'GET' ? undefined : '{}',
          route.method === 'GET' ? {} : { 'Content-Type': 'application/json' },
        );
        wrong.push(...wrongIn(`${route.key} ${value.slice(0, 24)}`, res, refusedOnly));
      }
    expect(wrong).toEqual([]);
    expect(describeChange(before, await watch())).toBe('');
  });

  it('HTTP framing and prototype pollution nested anywhere: a 4xx problem, Object.prototype untouched, the next request served', async () => {
    const officer = callers.find((c) => c.username === 'kr.officer')!.http;
    const watch = await writeWatch(t);
    const before = await watch();
    const body = '{"title":"Framing"}';
    const chunked = (bytes: Buffer) =>
      Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n0\r\n\r\n')]);
    const post = (headers: string, payload: string | Buffer) =>
      rawRequest(
        t.server,
        `POST /api/v1/cases HTTP/1.1\r\nHost: probe\r\nAuthorization: Bearer ${officer.tokens.accessToken}\r\n` +
          `Content-Type: application/json\r\n${headers}Connection: close\r\n\r\n`,
        payload,
      );
    const refusals: [string, string, string | Buffer][] = [
      ['chunked gzip', 'Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n', chunked(gzipSync(body))],
      ['transfer-coded gzip', 'Transfer-Encoding: gzip, chunked\r\n', chunked(gzipSync(body))],
      [
        'chunked and a length',
        'Transfer-Encoding: chunked\r\nContent-Length: 3\r\n',
        chunked(Buffer.from(body)),
      ],
      ['length +19', 'Content-Length: +19\r\n', body],
      ['length 19, 19', 'Content-Length: 19, 19\r\n', body],
      ['length 0x13', 'Content-Length: 0x13\r\n', body],
      [
        'a 20 KB chunk extension',
        'Transfer-Encoding: chunked\r\n',
        `13;a=${'x'.repeat(20_000)}\r\n${body}\r\n0\r\n\r\n`,
      ],
      [
        '1,000 headers',
        `${Array.from({ length: 1000 }, (_, i) => `X-H${i}: 1\r\n`).join('')}Content-Length: 19\r\n`,
        body,
      ],
      ['a folded header', 'X-A: a\r\n b\r\nContent-Length: 19\r\n', body],
      [
        'chunked 2 MB',
        'Transfer-Encoding: chunked\r\n',
        chunked(Buffer.from(`{"title":"${'a'.repeat(2 * 1024 * 1024)}"}`)),
      ],
    ];
    for (const [what, headers, payload] of [
      ...refusals,
      ...[
        '{"title":"x","a":{"__proto__":{"polluted":1}}}',
        '[{"__proto__":{"polluted":1}}]',
        '{"names":[{"constructor":{"prototype":{"polluted":1}}}]}',
        '{"title":"x","__pro\\u0074o__":{"polluted":1}}',
      ].map((b): [string, string, string] => [b, `Content-Length: ${Buffer.byteLength(b)}\r\n`, b]),
    ]) {
      const res = await post(headers, payload);
      let problem: { type?: string; status?: number } = {};
      try {
        problem = JSON.parse(res.body);
      } catch {
        /* named below */
      }
      expect({
        what,
        refused: [400, 413, 415, 431].includes(res.status),
        type: res.headers['content-type'],
        bodyStatus: problem.status,
      }).toEqual({
        what,
        refused: true,
        type: expect.stringMatching(/^application\/problem\+json/),
        bodyStatus: res.status,
      });
    }
    expect(describeChange(before, await watch())).toBe('');
    // The app's own Object.prototype (it runs in Node's realm, not jest's): nothing added to it.
    let root: object = t.server;
    while (Object.getPrototypeOf(root) !== null) root = Object.getPrototypeOf(root) as object;
    expect(Object.getOwnPropertyNames(root)).not.toContain('polluted');
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    // Chunked and well formed, the same request is taken.
    const taken = await post('Transfer-Encoding: chunked\r\n', chunked(Buffer.from(body)));
    expect({ status: taken.status, title: JSON.parse(taken.body).title }).toEqual({
      status: 201,
      title: 'Framing',
    });
  });
});
