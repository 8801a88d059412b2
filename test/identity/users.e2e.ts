import { createTestApp, TestApp } from '../support/test-app';
import request from 'supertest';
import { signIn, SignedIn } from '../support/http';

describe('User administration is scoped to the admin’s own country', () => {
  let t: TestApp;
  let kh: SignedIn;
  let kr: SignedIn;
  /** A second admin of each country: accounts an admin creates are enabled by another. */
  let kh2: SignedIn;
  let kr2: SignedIn;
  let krOfficerId: string;
  let khAgencyId: string;
  let krAgencyId: string;
  const userRows = () =>
    t.dataSource.query(
      `SELECT id, username, display_name, agency_id, country_code, roles, status, password_hash, version FROM app_user ORDER BY id`,
    );

  beforeAll(async () => {
    t = await createTestApp();
    kh = await signIn(t.server, 'kh.admin');
    kr = await signIn(t.server, 'kr.admin');
    krOfficerId = (await t.dataSource.query(`SELECT id FROM app_user WHERE username = 'kr.officer'`))[0].id;
    khAgencyId = (await t.dataSource.query(`SELECT id FROM agency WHERE country_code = 'KH'`))[0].id;
    krAgencyId = (await t.dataSource.query(`SELECT id FROM agency WHERE country_code = 'KR'`))[0].id;
    const platform = await signIn(t.server, 'platform.admin');
    for (const [username, agencyId] of [
      ['kh.admin2', khAgencyId],
      ['kr.admin2', krAgencyId],
    ])
      await platform
        .post('/users', {
          username,
          displayName: 'Second admin',
          agencyId,
          roles: ['admin'],
          password: 'a perfectly long new password',
        })
        .expect(201);
    kh2 = await signIn(t.server, 'kh.admin2', 'a perfectly long new password');
    kr2 = await signIn(t.server, 'kr.admin2', 'a perfectly long new password');
  });
  afterAll(() => t?.close());

  const newUser = (overrides: object = {}) => ({
    username: `kh.new${Math.floor(Math.random() * 1e6)}`,
    displayName: 'New Officer',
    agencyId: khAgencyId,
    roles: ['officer'],
    password: 'a perfectly long new password',
    ...overrides,
  });

  it('lists only accounts of the own country, never with a password hash', async () => {
    const res = await kh.get('/users?limit=200').expect(200);
    expect(res.body.items.length).toBeGreaterThan(5);
    expect(res.body.items.every((u: { countryCode: string }) => u.countryCode === 'KH')).toBe(true);
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|argon2/);
  });

  it('pages with a cursor', async () => {
    const first = await kh.get('/users?limit=3').expect(200);
    expect(first.body.items).toHaveLength(3);
    const second = await kh.get(`/users?limit=3&cursor=${first.body.nextCursor}`).expect(200);
    const ids = [...first.body.items, ...second.body.items].map((u: { id: string }) => u.id);
    expect(new Set(ids).size).toBe(6);
  });

  it('a KH admin cannot see or change a KR user (404), and the denial is audited', async () => {
    const before = await userRows();
    await kh.get(`/users/${krOfficerId}`).expect(404);
    await kh.patch(`/users/${krOfficerId}`, { displayName: 'hijacked', version: 1 }).expect(404);
    await kh.post(`/users/${krOfficerId}/disable`).expect(404);
    await kh
      .post(`/users/${krOfficerId}/reset-password`, { newPassword: 'another long password here' })
      .expect(404);
    expect(await userRows()).toEqual(before);
    const denials = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE outcome = 'denied' AND record_id = $1`,
      [krOfficerId],
    );
    expect(denials[0].n).toBe(4);
  });

  it('a KH admin cannot create a user in a KR agency, nor move a user there (400 naming agencyId)', async () => {
    const before = await userRows();
    const res = await kh.post('/users', newUser({ agencyId: krAgencyId })).expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'agencyId' })]);
    const khOfficer = (await kh.get('/users?role=officer').expect(200)).body.items[0];
    const move = await kh
      .patch(`/users/${khOfficer.id}`, { agencyId: krAgencyId, version: khOfficer.version })
      .expect(400);
    expect(move.body.errors[0].field).toBe('agencyId');
    expect(await userRows()).toEqual(before);
  });

  it('refuses roles outside the five, for others and for oneself', async () => {
    const res = await kh.post('/users', newUser({ roles: ['officer', 'platform_admin'] })).expect(400);
    expect(res.body.errors[0].field).toBe('roles');
    const self = (await kh.get('/auth/me').expect(200)).body;
    await kh.patch(`/users/${self.id}`, { roles: ['admin', 'superuser'], version: self.version }).expect(400);
  });

  it('refuses mass assignment of fields no DTO allows, changing nothing', async () => {
    const before = await userRows();
    const khOfficer = (await kh.get('/users?role=officer').expect(200)).body.items[0];
    for (const field of ['status', 'countryCode', 'id', 'passwordHash', 'createdAt']) {
      const res = await kh
        .patch(`/users/${khOfficer.id}`, {
          [field]: field === 'status' ? 'disabled' : 'x',
          version: khOfficer.version,
        })
        .expect(400);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    const create = await kh
      .post('/users', newUser({ countryCode: 'KR', status: 'active', passwordHash: 'x' }))
      .expect(400);
    expect(create.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'countryCode',
      'passwordHash',
      'status',
    ]);
    expect(await userRows()).toEqual(before);
  });

  it('creates, narrows roles, disables, re-enables and resets the password of an own-country user, each audited', async () => {
    const created = await kh.post('/users', newUser({ roles: ['officer', 'liaison'] })).expect(201);
    expect(created.body).toMatchObject({
      countryCode: 'KH',
      roles: ['officer', 'liaison'],
      status: 'disabled',
      version: 1,
    });
    const id = created.body.id;
    const enabled = await kh2.post(`/users/${id}/enable`).expect(200);
    // Removing a role applies at once; adding one waits for a second admin (role-four-eyes spec).
    const updated = await kh
      .patch(`/users/${id}`, { roles: ['officer'], version: enabled.body.version })
      .expect(200);
    expect(updated.body.roles).toEqual(['officer']);
    await kh.patch(`/users/${id}`, { displayName: 'stale', version: 1 }).expect(409);
    await kh.post(`/users/${id}/disable`).expect(200);
    await kh2.post(`/users/${id}/enable`).expect(200);
    await kh.post(`/users/${id}/reset-password`, { newPassword: 'a fresh and long password' }).expect(204);
    const actions = await t.dataSource.query(
      `SELECT action FROM audit_event WHERE record_id = $1 ORDER BY id`,
      [id],
    );
    expect(actions.map((a: { action: string }) => a.action)).toEqual([
      'user.create',
      'user.enable',
      'user.update',
      'user.disable',
      'user.enable',
      'user.password.reset',
    ]);
  });

  it('usernames are unique whatever the case', async () => {
    const res = await kr
      .post('/users', { ...newUser({ agencyId: krAgencyId }), username: 'KR.OFFICER' })
      .expect(409);
    expect(res.body.status).toBe(409);
  });

  it('a new username starts with its country code, so "taken" never tells of another country’s account', async () => {
    // kh.officer exists; KR's admin may not even ask about it, and gets the same answer for any KH name.
    for (const username of ['kh.officer', 'kh.nobody.at.all', 'officer7', 'kr.']) {
      const res = await kr.post('/users', { ...newUser({ agencyId: krAgencyId }), username }).expect(400);
      expect(res.body.errors).toEqual([
        { field: 'username', message: "username must start with 'kr.', the code of the account's country" },
      ]);
    }
    await kr.post('/users', { ...newUser({ agencyId: krAgencyId }), username: 'kr.officer' }).expect(409);
  });

  it('an account an admin creates starts disabled and only a second admin of the country enables it (four eyes)', async () => {
    const created = await kr
      .post('/users', { ...newUser({ agencyId: krAgencyId, roles: ['liaison'] }), username: 'kr.newliaison' })
      .expect(201);
    expect(created.body.status).toBe('disabled');
    const signInAs = () =>
      request(t.server)
        .post('/api/v1/auth/login')
        .send({ username: 'kr.newliaison', password: 'a perfectly long new password' });
    expect((await signInAs()).status).toBe(401);
    // The second admin hears that an account waits for it, as for a role change; no other country does.
    const waiting = async (who: SignedIn) =>
      (
        (await who.get('/notifications?limit=200').expect(200)).body.items as Array<Record<string, unknown>>
      ).filter((n) => n.eventType === 'user.created_awaiting_enable' && n.recordId === created.body.id);
    expect(await waiting(kr2)).toEqual([
      expect.objectContaining({
        recordType: 'user',
        payload: { username: 'kr.newliaison', roles: ['liaison'], createdBy: 'kr.admin' },
      }),
    ]);
    expect(JSON.stringify(await waiting(kr2))).not.toContain('a perfectly long new password');
    expect(await waiting(kh2)).toEqual([]);
    await kr.post(`/users/${created.body.id}/enable`).expect(403);
    await kr2.post(`/users/${created.body.id}/enable`).expect(200);
    expect((await signInAs()).status).toBe(200);
  });

  it('a role change takes effect on the next request', async () => {
    const target = await kr
      .post('/users', {
        ...newUser({ agencyId: krAgencyId, roles: ['admin', 'officer'] }),
        username: 'kr.rolechange',
      })
      .expect(201);
    await kr2.post(`/users/${target.body.id}/enable`).expect(200);
    const user = await signIn(t.server, 'kr.rolechange', 'a perfectly long new password');
    await user.get('/cases-does-not-matter').expect(404);
    await user.get('/users').expect(200);
    await kr.patch(`/users/${target.body.id}`, { roles: ['officer'], version: 2 }).expect(200);
    await user.get('/users').expect(403);
  });

  it('officers and auditors cannot administer users (403)', async () => {
    const officer = await signIn(t.server, 'kh.officer');
    await officer.get('/users').expect(403);
    await officer.post('/users', newUser()).expect(403);
  });

  it('the platform administrator creates a country’s first admin, and only admins', async () => {
    const platform = await signIn(t.server, 'platform.admin');
    await platform.post('/users', newUser({ roles: ['officer'] })).expect(400);
    const res = await platform
      .post('/users', { ...newUser({ agencyId: krAgencyId, roles: ['admin'] }), username: 'kr.secondadmin' })
      .expect(201);
    expect(res.body.countryCode).toBe('KR');
    const list = await platform.get('/users?limit=200').expect(200);
    expect(list.body.items.every((u: { roles: string[] }) => u.roles.includes('admin'))).toBe(true);
  });

  it('reference data is readable by every signed-in user and changed by the platform administrator only', async () => {
    const officer = await signIn(t.server, 'my.officer');
    const countries = await officer.get('/countries').expect(200);
    expect(countries.body.map((c: { code: string }) => c.code)).toEqual(
      expect.arrayContaining(['KR', 'KH', 'MY']),
    );
    const frameworks = await officer.get('/frameworks').expect(200);
    expect(frameworks.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'Cambodia–Korea Joint Task Force',
          members: ['KH', 'KR'],
          active: true,
        }),
      ]),
    );
    await officer.post('/countries', { code: 'JP', name: 'Japan' }).expect(403);
    await kh.post('/countries', { code: 'JP', name: 'Japan' }).expect(403);
    const platform = await signIn(t.server, 'platform.admin');
    await platform.post('/countries', { code: 'jp', name: 'Japan' }).expect(400);
    await platform.post('/countries', { code: 'JP', name: 'Japan' }).expect(201);
    const fw = await platform
      .post('/frameworks', {
        name: 'Korea-led multilateral investigative body',
        members: ['KR', 'KH', 'MY', 'JP'],
        validFrom: '2026-06-01',
      })
      .expect(201);
    expect(fw.body.members).toEqual(['JP', 'KH', 'KR', 'MY']);
    await platform
      .post('/agencies', { countryCode: 'JP', name: 'National Police Agency of Japan' })
      .expect(201);
    await platform.post('/agencies', { countryCode: 'ZZ', name: 'Nowhere' }).expect(400);
  });

  it('offers a liaison the active officers of its own country to assign, by id and name only (issue 18: no dead end)', async () => {
    const liaison = await signIn(t.server, 'kr.liaison');
    const offered = (await liaison.get('/assignable-officers').expect(200)).body as Array<
      Record<string, unknown>
    >;
    const officers: Array<{ id: string; display_name: string }> = await t.dataSource.query(
      `SELECT id, display_name FROM app_user WHERE country_code = 'KR' AND status = 'active' AND 'officer' = ANY(roles)`,
    );
    expect(offered.map((o) => o.id).sort()).toEqual(officers.map((o) => o.id).sort());
    expect(offered.find((o) => o.id === krOfficerId)).toEqual({
      id: krOfficerId,
      displayName: officers.find((o) => o.id === krOfficerId)!.display_name,
    });
    // Another country's officers never; nor to an admin or a screener, whose work assigns nothing.
    const khOfficer = (await t.dataSource.query(`SELECT id FROM app_user WHERE username = 'kh.officer'`))[0]
      .id;
    expect(offered.map((o) => o.id)).not.toContain(khOfficer);
    await kr.get('/assignable-officers').expect(403);
    await (await signIn(t.server, 'kr.screener')).get('/assignable-officers').expect(403);
  });
});
