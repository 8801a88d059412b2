import request from 'supertest';
import { createTestApp, TestApp } from '../support/test-app';

/** Routes that answer without a token, on purpose. Everything else must answer 401. */
const PUBLIC_ROUTES = new Set([
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/refresh',
  'GET /api/health',
  'GET /api/ready',
]);

describe('Deny by default: every route in the OpenAPI document needs a token unless public', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('answers 401 to every non-public route called without a token', async () => {
    const doc = (await request(t.server).get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => ({ method: m.toUpperCase(), path })),
    );
    expect(routes.length).toBeGreaterThan(15);
    const fill = (path: string) => path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
    const open: string[] = [];
    for (const { method, path } of routes) {
      const key = `${method} ${path}`;
      const res = await request(t.server)[method.toLowerCase() as 'get'](fill(path)).send({});
      if (PUBLIC_ROUTES.has(key)) continue;
      if (res.status !== 401) open.push(`${key} → ${res.status}`);
    }
    expect(open).toEqual([]);
  });

  it('refuses a forged or expired-looking token with 401', async () => {
    await request(t.server).get('/api/v1/auth/me').set('Authorization', 'Bearer not.a.token').expect(401);
    const forged =
      Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url') +
      '.' +
      Buffer.from(JSON.stringify({ sub: 'x', sid: 'y' })).toString('base64url') +
      '.';
    await request(t.server).get('/api/v1/auth/me').set('Authorization', `Bearer ${forged}`).expect(401);
  });
});
