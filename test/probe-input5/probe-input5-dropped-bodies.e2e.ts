import request from 'supertest';
import { createTestApp, TestApp } from '../support/test-app';
import { signIn, SignedIn } from '../support/http';
import { describeChange } from '../security/security-support';
import { refusalFault, writeWatch } from '../probe-input4/probe-input4-support';

/**
 * Probe (input round 5): what a JSON body says that the app dropped without a word. The API refuses
 * an unknown field by name (400), but three kinds of body were read as if parts of them were not there.
 *
 * Found:
 * - A field or parameter named `prototype`, at any depth, body or query: the InputGuard refuses names
 *   of Object.prototype members (`constructor`, `__proto__`), which `prototype` is not, and Nest's
 *   ValidationPipe then deletes it (`stripProtoKeys`) before whitelisting could name it, so
 *   `POST /cases {"title":…,"prototype":…}` created the case and `GET /cases?prototype=1` listed.
 * - A body that is JSON `null`: the ValidationPipe reads a nil body as `{}`, so on the routes whose
 *   fields are all optional it was a request without changes: `PATCH /frameworks/{id}` answered 200,
 *   `POST /audit-events/verify` verified the whole chain ("ok": true).
 * - A body on a route that reads none: `POST /users/{id}/disable {"version": 999}` disabled the account
 *   (a stale version is a 409 on every route that reads one), `POST /auth/logout {"allSessions": true}`
 *   ended one session. As input round 4 found for query strings (`unreadQueryProblems`).
 * Now the InputGuard refuses all three, naming the field (src/common/http/input-guard.ts); `{}` and no
 * body at all stay fine on a route that reads none.
 */
describe('Probe: bodies that were dropped without a word', () => {
  let t: TestApp;
  let officer: SignedIn;
  let krAdmin: SignedIn;
  let watch: () => Promise<string>;
  beforeAll(async () => {
    t = await createTestApp();
    officer = await signIn(t.server, 'kr.officer');
    krAdmin = await signIn(t.server, 'kr.admin');
    watch = await writeWatch(t);
  });
  afterAll(() => t?.close());

  const fieldsOf = (res: request.Response) =>
    (res.body.errors ?? []).map((e: { field: string }) => e.field) as string[];
  const refusal = (res: request.Response) => ({
    status: res.status,
    faults: refusalFault(res),
    fields: fieldsOf(res),
  });
  const raw = (who: SignedIn, method: 'post' | 'patch', path: string, body: string) =>
    request(t.server)
      [method](`/api/v1${path}`)
      .set('Authorization', `Bearer ${who.tokens.accessToken}`)
      .set('Content-Type', 'application/json')
      .send(body);

  it('a field or parameter named prototype, in a body, nested or in a query: a 400 naming it, nothing written', async () => {
    const before = await watch();
    expect(
      refusal(await officer.post('/cases', { title: 'A prototype case', prototype: { x: 1 } } as object)),
    ).toEqual({ status: 400, faults: [], fields: ['prototype'] });
    expect(
      refusal(
        await officer.post('/persons', {
          names: [{ full: 'SOK Dara', kind: 'primary', prototype: 1 }],
        } as object),
      ),
    ).toEqual({ status: 400, faults: [], fields: ['names[0].prototype'] });
    expect(refusal(await officer.get('/cases?prototype=1'))).toEqual({
      status: 400,
      faults: [],
      fields: ['prototype'],
    });
    expect(describeChange(before, await watch())).toBe('');
  });

  it('a body that is JSON null, where every field is optional: a 400 naming the body, nothing written or verified', async () => {
    const platform = await signIn(t.server, 'platform.admin');
    const auditor = await signIn(t.server, 'kr.auditor');
    const [framework] = await t.dataSource.query(`SELECT id FROM framework ORDER BY name LIMIT 1`);
    const before = await watch();
    const audits = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event`);
    for (const res of [
      await raw(platform, 'patch', `/frameworks/${framework.id}`, 'null'),
      await raw(auditor, 'post', '/audit-events/verify', 'null'),
      await raw(officer, 'post', '/cases', 'null'),
    ])
      expect(refusal(res)).toEqual({ status: 400, faults: [], fields: ['body'] });
    expect(describeChange(before, await watch())).toBe('');
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event`)).toEqual(audits);
  });

  it('a body on a route that reads none: a 400 naming each field, and the account is not disabled', async () => {
    const [user] = await t.dataSource.query(`SELECT id FROM app_user WHERE username = 'kr.officer2'`);
    const second = await signIn(t.server, 'kr.screener');
    const before = await watch();
    expect(refusal(await krAdmin.post(`/users/${user.id}/disable`, { version: 999 }))).toEqual({
      status: 400,
      faults: [],
      fields: ['version'],
    });
    expect(refusal(await raw(krAdmin, 'post', `/users/${user.id}/disable`, '[1]'))).toEqual({
      status: 400,
      faults: [],
      fields: ['body'],
    });
    expect(refusal(await second.post('/auth/logout', { allSessions: true }))).toEqual({
      status: 400,
      faults: [],
      fields: ['allSessions'],
    });
    expect(describeChange(before, await watch())).toBe('');
    expect((await officer.get('/auth/me')).status).toBe(200);
    // An empty object or no body at all: the route as ever.
    expect((await krAdmin.post(`/users/${user.id}/disable`, {})).status).toBe(200);
    expect(
      (
        await request(t.server)
          .post(`/api/v1/users/${user.id}/enable`)
          .set('Authorization', `Bearer ${krAdmin.tokens.accessToken}`)
      ).status,
    ).toBe(200);
    expect((await second.post('/auth/logout')).status).toBe(204);
  });
});
