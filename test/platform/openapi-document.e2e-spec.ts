import request from 'supertest';
import { openApiDocumentWithoutDatabase } from '../../src/openapi/document-without-database';
import { OpenApiDocument, OpenApiResponseValidator } from '../support/openapi-responses';
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
});
