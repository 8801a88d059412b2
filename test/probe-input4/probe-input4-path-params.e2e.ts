import request from 'supertest';
import { createTestApp, TestApp } from '../support/test-app';
import { signIn, SignedIn } from '../support/http';
import { describeChange } from '../security/security-support';
import { callersByRole, line, routesWithQueries, RouteWithQuery, writeWatch } from './probe-input4-support';

/**
 * Probe (input round 4): hostile path parameters on every route that has one, read and write alike,
 * by a caller the route lets in: each is a 4xx problem (400 naming the parameter, 404 for a path no
 * route has, 431 for an oversized one) and none writes a row or an audit event. Nothing found; kept so
 * that a new route with a parameter of another kind cannot answer otherwise.
 */
describe('Probe: hostile path parameters on every route', () => {
  let t: TestApp;
  let routes: RouteWithQuery[];
  let callerFor: Awaited<ReturnType<typeof callersByRole>>;
  let officer: SignedIn;
  beforeAll(async () => {
    t = await createTestApp();
    routes = (await routesWithQueries(t)).filter((r) => r.path.includes('{'));
    callerFor = await callersByRole(t);
    officer = await signIn(t.server, 'kr.officer');
  });
  afterAll(() => t?.close());

  const HOSTILE = [
    '..',
    '.',
    '%2F',
    'a%2Fb',
    '%00',
    'a%01b',
    '%ED%A0%80',
    '%E0%A4%A',
    '%20',
    'x'.repeat(10_000),
  ];

  it('every route answers non-UUIDs, NUL, %2F, .., broken percent-encoding and 10 KB with a 4xx problem, writing nothing', async () => {
    expect(routes.length).toBeGreaterThan(60);
    const watch = await writeWatch(t);
    const before = await watch();
    const wrong: string[] = [];
    for (const r of routes)
      for (const id of HOSTILE) {
        let req = request(t.server)[r.method.toLowerCase() as 'get'](r.path.replace(/\{[^}]+\}/g, id));
        const who = callerFor(r);
        if (who) req = req.set('Authorization', `Bearer ${who.tokens.accessToken}`);
        if (r.method !== 'GET') req = req.set('Content-Type', 'application/json').send('{}');
        const res = await req;
        wrong.push(...line(`${r.key} with ${id.slice(0, 12)}`, res));
        // Where the route was found, the parameter is what it names.
        if (res.status === 400 && res.body.type === 'urn:case-desk:problem:validation-failed') {
          const fields: string[] = (res.body.errors ?? []).map((e: { field: string }) => e.field);
          const params = [...r.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
          if (!fields.some((f) => params.includes(f) || f === 'path'))
            wrong.push(
              `${r.key} with ${id.slice(0, 12)} → 400 naming ${fields.join()} (not ${params.join()})`,
            );
        }
      }
    expect(wrong).toEqual([]);
    expect(describeChange(before, await watch())).toBe('');
  });

  it('an upper-case UUID names the same record as its lower-case form', async () => {
    const made = await officer.post('/cases', { title: 'Upper and lower' });
    expect(made.status).toBe(201);
    const lower = await officer.get(`/cases/${made.body.id}`);
    const upper = await officer.get(`/cases/${String(made.body.id).toUpperCase()}`);
    expect({ status: upper.status, id: upper.body.id }).toEqual({ status: 200, id: lower.body.id });
  });
});
