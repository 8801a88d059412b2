import { PLATFORM_ADMIN_USERNAME } from '../../src/seed/demo-data';
import { signIn, type SignedIn } from '../support/http';
import type { TestApp } from '../support/test-app';

const SECOND_ADMIN_PASSWORD = 'a perfectly long second admin password';

/** An account as stored: what an admin's PATCH needs (`version`). */
export async function account(t: TestApp, username: string) {
  const [row] = await t.dataSource.query(`SELECT id, roles, version FROM app_user WHERE username = $1`, [
    username,
  ]);
  return row as { id: string; roles: string[]; version: number };
}

/**
 * `username` gets `roles` through the four-eyes path: KR's admin asks, a second KR admin (made by the
 * platform administrator, once per app) approves.
 */
export async function widenRoles(t: TestApp, username: string, roles: string[]): Promise<void> {
  const [country] = username.split('.') as [string];
  const admin = await signIn(t.server, `${country}.admin`);
  const second = `${country}.admin2`;
  if (!(await account(t, second))) {
    const platform = await signIn(t.server, PLATFORM_ADMIN_USERNAME);
    const [{ id: agencyId }] = await t.dataSource.query(
      `SELECT id FROM agency WHERE country_code = $1 ORDER BY name LIMIT 1`,
      [country.toUpperCase()],
    );
    await platform
      .post('/users', {
        username: second,
        displayName: 'Second admin',
        agencyId,
        roles: ['admin'],
        password: SECOND_ADMIN_PASSWORD,
      })
      .expect(201);
  }
  const admin2 = await signIn(t.server, second, SECOND_ADMIN_PASSWORD);
  const target = await account(t, username);
  const asked = await admin
    .post(`/users/${target.id}/role-changes`, { roles, version: target.version })
    .expect(201);
  await admin2.post(`/users/${target.id}/role-changes/${asked.body.id}/approve`).expect(200);
}

/** The country's admin narrows `username` to `roles` (a removal applies at once). */
export async function narrowRoles(t: TestApp, username: string, roles: string[]): Promise<void> {
  const [country] = username.split('.') as [string];
  const admin = await signIn(t.server, `${country}.admin`);
  const target = await account(t, username);
  await admin.patch(`/users/${target.id}`, { roles, version: target.version }).expect(200);
}

/** The caller's inbox items of `eventType`. */
export async function inboxOf(who: SignedIn, eventType?: string) {
  const res = await who.get('/notifications?limit=200').expect(200);
  const items = res.body.items as Array<{ id: string; eventType: string; recordId: string; payload: object }>;
  return eventType ? items.filter((n) => n.eventType === eventType) : items;
}
