import request from 'supertest';
import { createTestApp, TestApp } from '../support/test-app';
import { signIn } from '../support/http';
import { describeChange } from '../security/security-support';
import {
  callersByRole,
  line,
  refusalFault,
  routesWithQueries,
  RouteWithQuery,
  writeWatch,
} from './probe-input4-support';

/**
 * Probe (input round 4): query strings on every route of the OpenAPI document, beyond the names and
 * repeats earlier rounds tried: bracket forms, control characters, lone surrogates and broken
 * percent-encoding in values, numbers a page size cannot be, 100 KB, names a route does not declare.
 *
 * Found: a route whose handler reads no query at all (`GET /webhooks`, `/frameworks`, `/countries`,
 * `/auth/me`, `/identifier-checks/settings`, ... and every write route without a query DTO) dropped
 * every parameter silently: `GET /webhooks?status=disabled` answered all webhooks as if filtered,
 * where a route with a query DTO answers an unknown name with a 400 naming it. Now the InputGuard
 * refuses a query on a route that reads none (src/common/http/input-guard.ts, unreadQueryProblems).
 */
describe('Probe: hostile query strings on every route', () => {
  let t: TestApp;
  let routes: RouteWithQuery[];
  let callerFor: Awaited<ReturnType<typeof callersByRole>>;
  beforeAll(async () => {
    t = await createTestApp();
    routes = await routesWithQueries(t);
    callerFor = await callersByRole(t);
  });
  afterAll(() => t?.close());

  const send = (r: RouteWithQuery, query: string) => {
    let req = request(t.server)[r.method.toLowerCase() as 'get'](`${r.url}?${query}`);
    const who = callerFor(r);
    if (who) req = req.set('Authorization', `Bearer ${who.tokens.accessToken}`);
    if (r.method !== 'GET') req = req.set('Content-Type', 'application/json').send('{}');
    return req;
  };
  const names = (res: request.Response, field: string) =>
    (res.body?.errors ?? []).some((e: { field: string }) => e.field === field);

  it('a declared parameter in bracket form, with a control character, a lone surrogate or broken percent-encoding: a 400 problem', async () => {
    const gets = routes.filter((r) => r.method === 'GET' && r.query.length > 0);
    expect(gets.length).toBeGreaterThan(20);
    const wrong: string[] = [];
    for (const r of gets)
      for (const q of r.query)
        for (const query of [
          `${q}[]=x`,
          `${q}[a]=1`,
          `${q}[]=x&${q}[]=y`,
          `${q}=%00`,
          `${q}=%1B%5B31m`,
          `${q}=%C2%9B`,
          `${q}=%ED%A0%80`,
          `${q}=%E0%A4%A`,
        ]) {
          const res = await send(r, query);
          wrong.push(
            ...line(`${r.key} ?${query}`, res, res.status === 400 ? refusalFault(res) : [`not 400`]),
          );
        }
    expect(wrong).toEqual([]);
  });

  it('a page size that is no page size (huge, 1e999, negative, empty, given twice): a 400 naming limit', async () => {
    const lists = routes.filter((r) => r.method === 'GET' && r.query.includes('limit'));
    expect(lists.length).toBeGreaterThan(15);
    const wrong: string[] = [];
    for (const r of lists)
      for (const query of [
        'limit=99999999999999999999999',
        'limit=1e999',
        'limit=-1',
        'limit=',
        'limit=1&limit=2',
        `limit=${'9'.repeat(400)}`,
      ]) {
        const res = await send(r, query);
        if (res.status !== 400 || !names(res, 'limit')) wrong.push(`${r.key} ?${query} → ${res.status}`);
        else wrong.push(...line(`${r.key} ?${query}`, res));
      }
    expect(wrong).toEqual([]);
  });

  it('a name no route declares, on every route (reads and writes): a 400 naming it, and nothing written', async () => {
    const watch = await writeWatch(t);
    const before = await watch();
    const wrong: string[] = [];
    // Health and readiness included: a monitor's URL carries no query either.
    for (const r of routes) {
      const res = await send(r, 'zz=1');
      // A write route may refuse its empty body first; what counts is that the name is refused too
      // wherever the body was not (and that nothing is written either way).
      if (r.method === 'GET' && !names(res, 'zz')) wrong.push(`${r.key} ?zz=1 → ${res.status} not naming zz`);
      wrong.push(...line(`${r.key} ?zz=1`, res));
    }
    expect(wrong).toEqual([]);
    const after = await watch();
    expect(describeChange(before, after)).toBe('');
  });

  it('a write that would succeed is refused for a name its route does not read, and records nothing', async () => {
    const officer = await signIn(t.server, 'kr.officer');
    const watch = await writeWatch(t);
    const before = await watch();
    const res = await request(t.server)
      .post('/api/v1/cases?confidential=true')
      .set('Authorization', `Bearer ${officer.tokens.accessToken}`)
      .send({ title: 'A case whose query was not read' });
    expect({ status: res.status, errors: res.body.errors }).toEqual({
      status: 400,
      errors: [{ field: 'confidential', message: 'confidential is not a parameter of this route' }],
    });
    expect(describeChange(before, await watch())).toBe('');
    // The same call without it is taken: the query, not the body, was refused.
    expect((await officer.post('/cases', { title: 'A case whose query was not read' })).status).toBe(201);
  });

  it('a query string of 100 KB: the 431 problem of an oversized request, on a list and on a write', async () => {
    const big = `q=${'a'.repeat(100_000)}`;
    const list = routes.find((r) => r.key === 'GET /api/v1/cases')!;
    const write = routes.find((r) => r.key === 'POST /api/v1/cases')!;
    for (const r of [list, write]) {
      const res = await send(r, big).catch((e: Error) => e);
      if (res instanceof Error) throw res;
      expect({ route: r.key, status: res.status, faults: refusalFault(res) }).toEqual({
        route: r.key,
        status: 431,
        faults: [],
      });
    }
  });
});
