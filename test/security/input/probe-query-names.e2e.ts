import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { fillPath, loadRoutes, Route } from '../security-support';
import { signIn, SignedIn } from '../../support/http';
import { taskForce, TaskForce } from '../../support/scenario';
import { createTestApp, TestApp } from '../../support/test-app';

/** Names every JavaScript object answers to without having them: read as filters they are not data. */
const PROTOTYPE_NAMES = [
  'toString',
  'valueOf',
  'constructor',
  'hasOwnProperty',
  '__proto__',
  '__defineGetter__',
];

/**
 * Probe (session 11): a query parameter named after a member of Object.prototype (`?toString=1`)
 * reached DTOs and services that read `query[name]` and found a function or a prototype instead of a
 * string. Every GET route answers such a name with a 400 naming it, before any route code runs.
 */
describe('Probe: query parameter names that are Object.prototype members', () => {
  let t: TestApp;
  let tf: TaskForce;
  let routes: Route[];

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    routes = (await loadRoutes(t)).filter((r) => r.method === 'GET');
  });
  afterAll(() => t?.close());

  /** Someone the route lets in, so that what answers is the input check, not the permission check. */
  let callers: SignedIn[];
  const admittedCaller = async (path: string) => {
    callers ??= [
      tf['kr.liaison'],
      tf['kr.auditor'],
      await signIn(t.server, 'kr.admin'),
      await signIn(t.server, 'platform.admin'),
    ];
    for (const caller of callers) if ((await caller.get(path)).status !== 403) return caller;
    return callers[0];
  };

  it('every GET route answers ?toString=, ?__proto__= and the like with a 400 naming the parameter', async () => {
    expect(routes.length).toBeGreaterThan(40);
    const wrong: string[] = [];
    for (const route of routes) {
      const path = fillPath(route.path, randomUUID(), 'KH').replace(/^\/api\/v1/, '');
      const who = await admittedCaller(path);
      for (const name of PROTOTYPE_NAMES) {
        const res = await who.get(`${path}?${name}=1`);
        const named = (res.body?.errors ?? []).some((e: { field: string }) => e.field === name);
        if (res.status !== 400 || !named) wrong.push(`${route.key} ?${name}=1 → ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  /**
   * Probe (session 12): a parameter given twice (`?status=sent&status=draft`) is the query counterpart of
   * a JSON name given twice: a proxy in front may read the first value, the route the last. Nothing
   * found (each DTO refuses the list it gets); kept so that a new list parameter cannot take a repeat.
   */
  it('every GET route answers a documented query parameter given twice with a 400 naming it', async () => {
    type Parameter = { in: string; name: string };
    const doc = (await request(t.server).get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { parameters?: Parameter[] }>>;
    };
    const wrong: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const path = fillPath(route.path, randomUUID(), 'KH').replace(/^\/api\/v1/, '');
      const names = (doc.paths[route.path]?.get?.parameters ?? [])
        .filter((p) => p.in === 'query')
        .map((p) => p.name);
      if (names.length === 0) continue;
      const who = await admittedCaller(path);
      for (const name of names) {
        const res = await who.get(`${path}?${name}=1&${name}=2`);
        checked++;
        const named = (res.body?.errors ?? []).some((e: { field: string }) => e.field === name);
        if (res.status !== 400 || !named) wrong.push(`${route.key} ?${name} twice → ${res.status}`);
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect(wrong).toEqual([]);
  });
});
