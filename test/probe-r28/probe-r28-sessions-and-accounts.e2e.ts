import request from 'supertest';
import { createTestApp, TestApp } from '../support/test-app';
import { TEST_DEMO_PASSWORD } from '../support/demo-password';
import { login, signIn } from '../support/http';

/**
 * Probe r28: refresh tokens after the account changed, what the refresh answer tells, hostile characters
 * in every identity body, and a partner's admin against another country's accounts.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const refresh = (refreshToken: unknown) =>
  request(t.server).post('/api/v1/auth/refresh').send({ refreshToken });
const idOf = async (username: string): Promise<string> =>
  (await t.dataSource.query(`SELECT id FROM app_user WHERE username = $1`, [username]))[0].id;
const problem = (res: request.Response) => ({
  status: res.status,
  type: res.body.type,
  detail: res.body.detail,
  errors: res.body.errors,
});
const NEW_PASSWORD = 'a fresh long passphrase 2026';

it('a refresh token dies with its session: after a password change, an admin reset, a disable, a rotation and reuse — all with one answer', async () => {
  const changed = await login(t.server, 'my.officer');
  const changedBy = await signIn(t.server, 'my.officer');
  await changedBy
    .post('/auth/password', { currentPassword: TEST_DEMO_PASSWORD, newPassword: NEW_PASSWORD })
    .expect(204);

  const reset = await login(t.server, 'my.liaison2');
  const myAdmin = await signIn(t.server, 'my.admin');
  await myAdmin
    .post(`/users/${await idOf('my.liaison2')}/reset-password`, { newPassword: NEW_PASSWORD })
    .expect(204);

  const disabled = await login(t.server, 'my.screener');
  await myAdmin.post(`/users/${await idOf('my.screener')}/disable`).expect(200);

  const rotated = await login(t.server, 'my.auditor');
  const next = (await refresh(rotated.refreshToken).expect(200)).body;
  const otherSession = await login(t.server, 'my.auditor');

  const answers = [
    problem(await refresh(changed.refreshToken)),
    problem(await refresh(reset.refreshToken)),
    problem(await refresh(disabled.refreshToken)),
    problem(await refresh(rotated.refreshToken)), // reuse: the family ends
    problem(await refresh(next.refreshToken)),
    problem(await refresh('A'.repeat(43))), // never issued
  ];
  expect(answers).toEqual(
    answers.map(() => ({
      status: 401,
      type: 'urn:case-desk:problem:unauthenticated',
      detail: 'The refresh token is not valid; sign in again.',
      errors: undefined,
    })),
  );
  // A reuse ends that sign-in only: the same user's other session goes on.
  await refresh(otherSession.refreshToken).expect(200);
});

it('refuses control characters, NUL, lone surrogates and wrong types in identity bodies with 400 naming the field', async () => {
  const kh = await signIn(t.server, 'kh.officer');
  const khAdmin = await signIn(t.server, 'kh.admin');
  const agencyId = (await khAdmin.get('/auth/me').expect(200)).body.agencyId;
  const target = await idOf('kh.screener');
  const version = (await khAdmin.get(`/users/${target}`).expect(200)).body.version;
  const cases: Array<[string, () => request.Test, string]> = [
    [
      'login username NUL',
      () =>
        request(t.server).post('/api/v1/auth/login').send({ username: 'kh.off\u0000icer', password: 'x' }),
      'username',
    ],
    [
      'login username ESC',
      () =>
        request(t.server).post('/api/v1/auth/login').send({ username: '\u001bkh.officer', password: 'x' }),
      'username',
    ],
    [
      'login password NUL',
      () =>
        request(t.server)
          .post('/api/v1/auth/login')
          .send({ username: 'kh.officer', password: `${TEST_DEMO_PASSWORD}\u0000` }),
      'password',
    ],
    [
      'login password lone surrogate',
      () =>
        request(t.server).post('/api/v1/auth/login').send({ username: 'kh.officer', password: 'ab\ud800cd' }),
      'password',
    ],
    [
      'login password 600 chars',
      () =>
        request(t.server)
          .post('/api/v1/auth/login')
          .send({ username: 'kh.officer', password: 'p'.repeat(600) }),
      'password',
    ],
    ['refresh NUL', () => refresh('\u0000'.repeat(43)), 'refreshToken'],
    ['refresh object', () => refresh({ $ne: null }), 'refreshToken'],
    ['refresh 10 KB', () => refresh('r'.repeat(10_000)), 'refreshToken'],
    [
      'password change NUL',
      () =>
        kh.post('/auth/password', {
          currentPassword: TEST_DEMO_PASSWORD,
          newPassword: `${NEW_PASSWORD}\u0000`,
        }),
      'newPassword',
    ],
    [
      'password change array',
      () => kh.post('/auth/password', { currentPassword: [TEST_DEMO_PASSWORD], newPassword: NEW_PASSWORD }),
      'currentPassword',
    ],
    [
      'create username NUL',
      () =>
        khAdmin.post('/users', {
          username: 'kh.new\u0000one',
          displayName: 'New',
          agencyId,
          roles: ['officer'],
          password: NEW_PASSWORD,
        }),
      'username',
    ],
    [
      'create display name control',
      () =>
        khAdmin.post('/users', {
          username: 'kh.newone',
          displayName: 'New\u0007\u0000',
          agencyId,
          roles: ['officer'],
          password: NEW_PASSWORD,
        }),
      'displayName',
    ],
    [
      'create password NUL',
      () =>
        khAdmin.post('/users', {
          username: 'kh.newone',
          displayName: 'New',
          agencyId,
          roles: ['officer'],
          password: `${NEW_PASSWORD}\u0000`,
        }),
      'password',
    ],
    [
      'create role unknown',
      () =>
        khAdmin.post('/users', {
          username: 'kh.newone',
          displayName: 'New',
          agencyId,
          roles: ['platform_admin'],
          password: NEW_PASSWORD,
        }),
      'roles',
    ],
    [
      'edit display name bidi only',
      () => khAdmin.patch(`/users/${target}`, { displayName: '\u202e\u200b', version }),
      'displayName',
    ],
    [
      'reset password NUL',
      () => khAdmin.post(`/users/${target}/reset-password`, { newPassword: `${NEW_PASSWORD}\u0000` }),
      'newPassword',
    ],
  ];
  for (const [label, send, field] of cases) {
    const res = await send();
    expect({ label, status: res.status }).toEqual({ label, status: 400 });
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect({ label, fields: res.body.errors.map((e: { field: string }) => e.field) }).toEqual({
      label,
      fields: expect.arrayContaining([field]),
    });
  }
  // None of it changed the account.
  expect((await khAdmin.get(`/users/${target}`).expect(200)).body.version).toBe(version);
});

it("a partner's admin gets the same 404 for another country's account as for none, on every account route, and changes nothing", async () => {
  const krAdmin = await signIn(t.server, 'kr.admin');
  const khAdmin = await signIn(t.server, 'kh.admin');
  const victim = await idOf('kh.liaison');
  const before = (await khAdmin.get(`/users/${victim}`).expect(200)).body;
  const nobody = '0b5e9d1c-3f2a-4c6b-9d8e-7a6b5c4d3e2f';
  const routes = (id: string): Array<[string, () => request.Test]> => [
    ['get', () => krAdmin.get(`/users/${id}`)],
    ['role changes', () => krAdmin.get(`/users/${id}/role-changes`)],
    ['edit', () => krAdmin.patch(`/users/${id}`, { displayName: 'Renamed by KR', version: before.version })],
    ['narrow roles', () => krAdmin.patch(`/users/${id}`, { roles: ['auditor'], version: before.version })],
    [
      'ask to widen roles',
      () =>
        krAdmin.post(`/users/${id}/role-changes`, { roles: ['liaison', 'auditor'], version: before.version }),
    ],
    ['approve', () => krAdmin.post(`/users/${id}/role-changes/${nobody}/approve`)],
    ['disable', () => krAdmin.post(`/users/${id}/disable`)],
    ['enable', () => krAdmin.post(`/users/${id}/enable`)],
    ['unlock', () => krAdmin.post(`/users/${id}/unlock`)],
    ['reset password', () => krAdmin.post(`/users/${id}/reset-password`, { newPassword: NEW_PASSWORD })],
    ['confirm reset', () => krAdmin.post(`/users/${id}/reset-password/confirm`)],
  ];
  const strip = (res: request.Response) => ({
    status: res.status,
    type: res.body.type,
    detail: res.body.detail,
  });
  for (const [[label, onVictim], [, onNobody]] of routes(victim).map(
    (r, i) => [r, routes(nobody)[i]!] as const,
  )) {
    const a = strip(await onVictim());
    const b = strip(await onNobody());
    expect({ label, answer: a }).toEqual({ label, answer: b });
    expect(a.status).toBe(404);
  }
  const after = (await khAdmin.get(`/users/${victim}`).expect(200)).body;
  expect(after).toEqual(before);
  await login(t.server, 'kh.liaison');
  // KR's list and its audit filter by KH's username name nothing of KH.
  const listed = (await krAdmin.get('/users?limit=200').expect(200)).body.items;
  expect(listed.filter((u: { countryCode: string }) => u.countryCode !== 'KR')).toEqual([]);
  const krAuditor = await signIn(t.server, 'kr.auditor');
  const byKhActor = await krAuditor.get('/audit-events?actor=kh.admin&limit=50').expect(200);
  expect(byKhActor.body.items).toEqual([]);
});

it('an admin cannot widen its own roles, disable itself, or remove the other admin to act alone', async () => {
  const platform = await signIn(t.server, 'platform.admin');
  const krAdmin = await signIn(t.server, 'kr.admin');
  const me = (await krAdmin.get('/auth/me').expect(200)).body;
  // Its own roles: not by either route, not even to add auditor (reads everything of the country).
  for (const send of [
    () => krAdmin.post(`/users/${me.id}/role-changes`, { roles: ['admin', 'auditor'], version: me.version }),
    () => krAdmin.patch(`/users/${me.id}`, { roles: ['admin', 'auditor'], version: me.version }),
  ])
    expect((await send()).status).toBe(403);
  expect((await krAdmin.post(`/users/${me.id}/disable`)).status).toBe(409);

  // A second admin (the platform's to create) — then the first disables it at once (an admin-only
  // account has no narrower roles; turning it into an officer would widen, so waits for four eyes)...
  const second = (
    await platform
      .post('/users', {
        username: 'kr.admin9',
        displayName: 'KR second admin',
        agencyId: me.agencyId,
        roles: ['admin'],
        password: NEW_PASSWORD,
      })
      .expect(201)
  ).body;
  const demoted = await krAdmin.patch(`/users/${second.id}`, { roles: ['officer'], version: second.version });
  expect(problem(demoted)).toMatchObject({
    status: 400,
    errors: [expect.objectContaining({ field: 'roles' })],
  });
  await krAdmin.post(`/users/${second.id}/disable`).expect(200);
  // ...and is left alone, which gives it no four-eyes step of its own: an account it makes stays
  // disabled, a role it would widen waits for an admin that is not there.
  const made = (
    await krAdmin
      .post('/users', {
        username: 'kr.madealone',
        displayName: 'Made alone',
        agencyId: me.agencyId,
        roles: ['officer', 'liaison'],
        password: NEW_PASSWORD,
      })
      .expect(201)
  ).body;
  expect(made.status).toBe('disabled');
  await krAdmin.post(`/users/${made.id}/enable`).expect(403);
  const officer = (await krAdmin.get(`/users/${await idOf('kr.officer2')}`).expect(200)).body;
  const asked = await krAdmin
    .post(`/users/${officer.id}/role-changes`, { roles: ['officer', 'auditor'], version: officer.version })
    .expect(201);
  expect(asked.body.status).toBe('pending');
  await krAdmin.post(`/users/${officer.id}/role-changes/${asked.body.id}/approve`).expect(403);
  expect((await krAdmin.get(`/users/${officer.id}`).expect(200)).body.roles).toEqual(['officer']);
});
