import request from 'supertest';
import { openApiDocumentWithoutDatabase } from '../../src/openapi/document-without-database';
import { mediaTypeOf, OpenApiDocument, OpenApiResponseValidator } from '../support/openapi-responses';
import { signIn } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';

describe('The OpenAPI document', () => {
  let t: TestApp;
  let document: OpenApiDocument;
  beforeAll(async () => {
    t = await createTestApp();
    document = (await request(t.server).get('/api/docs-json').expect(200)).body as OpenApiDocument;
  });
  afterAll(() => t?.close());

  it('is the same whether served by the app or exported for the linter without a database', async () => {
    expect(JSON.parse(JSON.stringify(await openApiDocumentWithoutDatabase()))).toEqual(document);
  });

  it('documents problem details for the error statuses of every operation', () => {
    const missing = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => !op.responses?.['400']?.content?.['application/problem+json'])
        .map(([method]) => `${method} ${path}`),
    );
    expect(missing).toEqual([]);
  });

  it('lets the response validator catch undocumented fields, statuses and bodies', async () => {
    const validator = new OpenApiResponseValidator(document);
    const me = await (await signIn(t.server, 'kr.officer')).get('/auth/me');
    const observed = {
      method: 'GET',
      path: '/api/v1/auth/me',
      status: me.status,
      contentType: 'application/json',
      text: me.text,
      body: me.body,
    };
    expect(validator.problem(observed)).toBeUndefined();
    expect(validator.problem({ ...observed, body: { ...me.body, passwordHash: 'x' } })).toMatch(
      /additional properties/,
    );
    expect(validator.problem({ ...observed, status: 418 })).toMatch(/418 is not documented/);
    expect(validator.problem({ ...observed, contentType: 'text/html' })).toMatch(/text\/html/);
    const problem = await request(t.server).get('/api/v1/auth/me');
    expect(
      validator.problem({
        ...observed,
        status: problem.status,
        contentType: 'application/problem+json',
        body: problem.body,
      }),
    ).toBeUndefined();
  });

  it('every list documents limit, cursor and its filters; every request list the same filters', () => {
    type Operation = {
      parameters?: Array<{ name: string; in: string }>;
      responses?: Record<string, unknown>;
    };
    const lists = Object.entries(document.paths).flatMap(([path, methods]) => {
      const get = (methods as Record<string, Operation>).get;
      return get && JSON.stringify(get.responses?.['200'] ?? {}).includes('nextCursor')
        ? [{ path, query: (get.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name) }]
        : [];
    });
    expect(lists.length).toBeGreaterThan(10);
    expect(lists.filter((l) => !l.query.includes('limit') || !l.query.includes('cursor'))).toEqual([]);
    const requestFilters = [
      'status',
      'direction',
      'counterpartCountry',
      'priority',
      'overdue',
      'caseId',
      'q',
    ];
    for (const kind of [
      'information-requests',
      'asset-freeze-requests',
      'repatriation-requests',
      'blacklist-proposals',
      'release-requests',
    ]) {
      const list = lists.find((l) => l.path === `/api/v1/${kind}`);
      expect({ kind, query: list?.query }).toEqual({ kind, query: expect.arrayContaining(requestFilters) });
    }
  });

  it('describes the pages every list answers', async () => {
    const validator = new OpenApiResponseValidator(document);
    const officer = await signIn(t.server, 'kr.officer');
    const admin = await signIn(t.server, 'kr.admin');
    // At least one item in some lists, so the item schemas are exercised and not only the page shape.
    await officer.post('/cases', { title: 'A listed case' }).expect(201);
    await officer
      .post('/persons', { names: [{ full: 'Kim Listed', script: 'latin', kind: 'primary' }] })
      .expect(201);
    const lists: [typeof officer, string][] = [
      [admin, '/users'],
      ...[
        '/cases',
        '/persons?name=Kim',
        '/information-requests',
        '/asset-freeze-requests',
        '/repatriation-requests',
        '/blacklist-entries',
        '/blacklist-proposals',
        '/arrests',
        '/notifications',
      ].map((path): [typeof officer, string] => [officer, path]),
    ];
    const wrong: string[] = [];
    for (const [caller, url] of lists) {
      const res = await caller.get(`${url}${url.includes('?') ? '&' : '?'}limit=2`);
      const path = `/api/v1${url.split('?')[0]}`;
      const problem = validator.problem({
        method: 'GET',
        path,
        status: res.status,
        contentType: mediaTypeOf(res.headers['content-type']),
        text: res.text,
        body: res.body,
      });
      if (res.status !== 200 || problem) wrong.push(`${path} → ${res.status} ${problem ?? ''}`);
    }
    expect(wrong).toEqual([]);
  });
});
