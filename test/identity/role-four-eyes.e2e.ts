import { createTestApp, TestApp } from '../support/test-app';
import { signIn, SignedIn } from '../support/http';

/** Issue 17: who may change roles, and four eyes on every change that widens access. */
describe('Role changes: no self-service, no case roles from the platform, four eyes to widen', () => {
  let t: TestApp;
  let platform: SignedIn;
  let krAdmin: SignedIn;
  let krAdmin2: SignedIn;
  let krAgencyId: string;
  const PASSWORD = 'a perfectly long new password';
  const user = async (username: string) =>
    (
      await t.dataSource.query(`SELECT id, roles, version FROM app_user WHERE username = $1`, [username])
    )[0] as {
      id: string;
      roles: string[];
      version: number;
    };

  beforeAll(async () => {
    t = await createTestApp();
    platform = await signIn(t.server, 'platform.admin');
    krAdmin = await signIn(t.server, 'kr.admin');
    krAgencyId = (await t.dataSource.query(`SELECT id FROM agency WHERE country_code = 'KR'`))[0].id;
    await platform
      .post('/users', {
        username: 'kr.admin2',
        displayName: 'Second KR admin',
        agencyId: krAgencyId,
        roles: ['admin'],
        password: PASSWORD,
      })
      .expect(201);
    krAdmin2 = await signIn(t.server, 'kr.admin2', PASSWORD);
  });
  afterAll(() => t?.close());

  it('the platform administrator cannot give a country admin case-reading roles', async () => {
    const target = await user('kr.admin');
    const res = await platform.patch(`/users/${target.id}`, {
      roles: ['admin', 'officer', 'liaison', 'auditor'],
      version: target.version,
    });
    expect(res.status).toBe(403);
    await platform
      .post(`/users/${target.id}/role-changes`, {
        roles: ['officer', 'liaison', 'auditor'],
        version: target.version,
      })
      .expect(403);
    expect((await user('kr.admin')).roles).toEqual(['admin']);
    // Its own status powers over admin accounts stay.
    await platform.post(`/users/${(await user('kr.admin2')).id}/disable`).expect(200);
    await platform.post(`/users/${(await user('kr.admin2')).id}/enable`).expect(200);
    krAdmin2 = await signIn(t.server, 'kr.admin2', PASSWORD);
  });

  it('nobody changes their own roles, not even to add one', async () => {
    const self = await user('kr.admin');
    await krAdmin
      .patch(`/users/${self.id}`, { roles: ['admin', 'auditor'], version: self.version })
      .expect(403);
    await krAdmin
      .post(`/users/${self.id}/role-changes`, { roles: ['admin', 'officer'], version: self.version })
      .expect(403);
    expect((await user('kr.admin')).roles).toEqual(['admin']);
  });

  it('a widening change waits for a second admin of the country, is notified to its auditors, and applies on approval', async () => {
    const target = await user('kr.officer2');
    const viaPatch = await krAdmin.patch(`/users/${target.id}`, {
      roles: ['officer', 'liaison'],
      version: target.version,
    });
    expect(viaPatch.status).toBe(400);
    expect(viaPatch.body.errors[0].field).toBe('roles');

    const requested = await krAdmin
      .post(`/users/${target.id}/role-changes`, { roles: ['officer', 'liaison'], version: target.version })
      .expect(201);
    expect(requested.body).toMatchObject({
      userId: target.id,
      fromRoles: ['officer'],
      toRoles: ['officer', 'liaison'],
      status: 'pending',
    });
    expect((await user('kr.officer2')).roles).toEqual(['officer']);
    const changeId = requested.body.id;

    // The country's auditors see the request in their audit trail.
    const krAuditor = await signIn(t.server, 'kr.auditor');
    const trail = await krAuditor.get(`/audit-events?recordId=${target.id}&limit=200`).expect(200);
    expect(trail.body.items.map((e: { action: string }) => e.action)).toContain('user.role_change.request');
    // And the country's auditors and admins are told in their inbox, KH's are not.
    const roleNotices = async (who: SignedIn) =>
      (
        (await who.get('/notifications?limit=200').expect(200)).body.items as Array<Record<string, unknown>>
      ).filter((n) => n.eventType === 'user.role_change_requested' && n.recordId === target.id);
    for (const who of [krAuditor, krAdmin2])
      expect(await roleNotices(who)).toEqual([
        expect.objectContaining({
          payload: expect.objectContaining({ changeId, username: 'kr.officer2', requestedBy: 'kr.admin' }),
        }),
      ]);
    expect(await roleNotices(await signIn(t.server, 'kh.admin'))).toEqual([]);

    // Not the requester, not another country, not the platform: a second admin of KR.
    await krAdmin.post(`/users/${target.id}/role-changes/${changeId}/approve`).expect(403);
    const khAdmin = await signIn(t.server, 'kh.admin');
    await khAdmin.post(`/users/${target.id}/role-changes/${changeId}/approve`).expect(404);
    await platform.post(`/users/${target.id}/role-changes/${changeId}/approve`).expect(404);
    expect((await user('kr.officer2')).roles).toEqual(['officer']);

    const pending = await krAdmin2.get(`/users/${target.id}/role-changes`).expect(200);
    expect(pending.body.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([
      [changeId, 'pending'],
    ]);
    const approved = await krAdmin2.post(`/users/${target.id}/role-changes/${changeId}/approve`).expect(200);
    expect(approved.body).toMatchObject({ status: 'approved', toRoles: ['officer', 'liaison'] });
    expect((await user('kr.officer2')).roles).toEqual(['officer', 'liaison']);
    await krAdmin2.post(`/users/${target.id}/role-changes/${changeId}/approve`).expect(409);

    const events = await t.dataSource.query(
      `SELECT action, owner_country FROM audit_event WHERE record_id = $1 AND action LIKE 'user.role_change%' ORDER BY id`,
      [target.id],
    );
    expect(events).toEqual([
      { action: 'user.role_change.request', owner_country: 'KR' },
      { action: 'user.role_change.approve', owner_country: 'KR' },
    ]);
  });

  it('an approval is refused when the account changed since the request', async () => {
    const target = await user('kr.screener');
    const requested = await krAdmin
      .post(`/users/${target.id}/role-changes`, { roles: ['screener', 'officer'], version: target.version })
      .expect(201);
    await krAdmin
      .patch(`/users/${target.id}`, { displayName: 'Renamed meanwhile', version: target.version })
      .expect(200);
    await krAdmin2.post(`/users/${target.id}/role-changes/${requested.body.id}/approve`).expect(409);
    expect((await user('kr.screener')).roles).toEqual(['screener']);
  });

  it('an admin cannot turn its own request into a grant of its own roles through a second account of its own making', async () => {
    // kr.admin2 asks to widen kr.admin; kr.admin (the target) may not approve a change of its own roles.
    const target = await user('kr.admin');
    const requested = await krAdmin2
      .post(`/users/${target.id}/role-changes`, { roles: ['admin', 'auditor'], version: target.version })
      .expect(201);
    await krAdmin.post(`/users/${target.id}/role-changes/${requested.body.id}/approve`).expect(403);
    expect((await user('kr.admin')).roles).toEqual(['admin']);
  });

  it('narrowing roles applies at once', async () => {
    const target = await user('kr.officer2');
    const res = await krAdmin
      .patch(`/users/${target.id}`, { roles: ['officer'], version: target.version })
      .expect(200);
    expect(res.body.roles).toEqual(['officer']);
  });
});
