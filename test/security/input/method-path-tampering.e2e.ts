import { createTestApp, TestApp } from '../../support/test-app';
import { signIn, SignedIn } from '../../support/http';
import { isServerError, leaks, loadRoutes, Route, send } from '../security-support';

/** Issue 10, suite 2: undeclared methods and malformed ids on every route of the route table. */
describe('Method and path tampering', () => {
  let t: TestApp;
  let routes: Route[];
  let officer: SignedIn;
  beforeAll(async () => {
    t = await createTestApp();
    routes = await loadRoutes(t);
    officer = await signIn(t.server, 'kr.officer');
  });
  afterAll(() => t?.close());

  const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
  const fill = (path: string) => path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');

  const pattern = (path: string) => new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);

  it('answers 404 or 405 to every method a route does not declare', async () => {
    const declared = new Map<string, Set<string>>();
    for (const r of routes) declared.set(r.path, (declared.get(r.path) ?? new Set()).add(r.method));
    const wrong: string[] = [];
    let cases = 0;
    for (const [path, methods] of declared)
      for (const method of METHODS.filter((m) => !methods.has(m))) {
        const res = await send(
          t,
          method,
          fill(path),
          officer.tokens.accessToken,
          method === 'GET' ? undefined : {},
        );
        cases++;
        // A literal segment can be another route's parameter (`GET /arrests/batch` is `GET /arrests/{id}`).
        const shadowed = routes.some((r) => r.method === method && pattern(r.path).test(fill(path)));
        if (![404, 405].includes(res.status) && !(shadowed && res.status === 400))
          wrong.push(`${method} ${path} → ${res.status}`);
      }
    console.log(`method tampering: ${cases} cases`);
    expect(cases).toBeGreaterThan(200);
    expect(wrong).toEqual([]);
  });

  it('answers 400 or 404 (414/431 for oversized URLs), never 500, to malformed ids in every path parameter', async () => {
    const bad = ['x', '..%2F', '%2e%2e%2f', '%00', '%27%20OR%201%3D1--', 'a'.repeat(10_000), '0'.repeat(36)];
    const wrong: string[] = [];
    let cases = 0;
    for (const r of routes.filter((x) => x.path.includes('{')))
      for (const id of bad) {
        const url = r.path.replace(/\{[^}]+\}/g, id);
        const res = await send(
          t,
          r.method,
          url,
          officer.tokens.accessToken,
          r.method === 'GET' ? undefined : {},
        );
        cases++;
        const leak = leaks(res.text ?? '');
        if (![400, 403, 404, 414, 431].includes(res.status) || isServerError(res.status) || leak)
          wrong.push(
            `${r.method} ${r.path} with ${id.slice(0, 20)}… → ${res.status}${leak ? ` (${leak})` : ''}`,
          );
      }
    console.log(`path tampering: ${cases} cases`);
    expect(wrong).toEqual([]);
  });
});
