import request from 'supertest';
import { createTestApp, TestApp } from '../support/test-app';
import { TEST_DEMO_PASSWORD } from '../support/demo-password';
import { signIn } from '../support/http';

/**
 * Review of probe r28's fix 1 (familiar addresses).
 *
 * 1. An address the account signed in from lately escapes the account's
 * lockout and has a throttle bucket of its own. That standing was earned with a password; once that
 * password is replaced (the owner's change, or an admin's reset), an address that signed in with the old
 * one is a stranger again. Otherwise whoever had the old password (a thief the owner changed it against)
 * keeps guessing the new one at its own address while the account is locked for everyone else: five
 * more guesses every half hour, and ten a minute of its own under the per-username limit.
 * 2. One client is one address however it is spelled: an IPv4 client seen through a dual-stack socket or
 *    proxy (`::ffff:198.51.100.30`) is the same address as `198.51.100.30`. Two spellings were two
 *    addresses: the owner was a stranger at its own address, and whoever shared it had two lockouts.
 *
 * Addresses are told apart with X-Forwarded-For from a trusted proxy (TRUSTED_PROXIES = loopback).
 */
const OWNER = '198.51.100.20';
const THIEF = '192.0.2.44';
const STRANGER = '203.0.113.70';
const WRONG = 'not the password at all';
const NEW_PASSWORD = 'a fresh long passphrase 2026';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, { TRUSTED_PROXIES: '127.0.0.1/32, ::1' });
});
afterAll(() => t?.close());

const signInFrom = (address: string, username: string, password: string) =>
  request(t.server).post('/api/v1/auth/login').set('X-Forwarded-For', address).send({ username, password });

const idOf = async (username: string): Promise<string> =>
  (await t.dataSource.query(`SELECT id FROM app_user WHERE username = $1`, [username]))[0].id;

/** The reasons audited for the sign-ins refused from `address` since event `since`. */
const refusalReasons = async (userId: string, address: string, since: string): Promise<string[]> =>
  (
    await t.dataSource.query(
      `SELECT details->>'reason' AS reason FROM audit_event
        WHERE action = 'auth.login.failed' AND record_id = $1 AND source_ip = $2 AND id > $3 ORDER BY id`,
      [userId, address, since],
    )
  ).map((r: { reason: string }) => r.reason);

const lastEventId = async (): Promise<string> =>
  (await t.dataSource.query(`SELECT coalesce(max(id), 0)::text AS id FROM audit_event`))[0].id;

/** Five wrong passwords from a stranger: the account is locked for every address that is not its own. */
const lockFromStranger = async (username: string) => {
  for (let i = 0; i < 5; i++) await signInFrom(STRANGER, username, `${WRONG} ${i}`).expect(401);
};

it("after the owner changes its password, an address that signed in with the old one no longer escapes the account's lockout", async () => {
  const username = 'kh.officer2';
  const userId = await idOf(username);
  // The thief had the old password and signed in with it; so did the owner, at its own address.
  await signInFrom(THIEF, username, TEST_DEMO_PASSWORD).expect(200);
  const owner = await signInFrom(OWNER, username, TEST_DEMO_PASSWORD).expect(200);
  await request(t.server)
    .post('/api/v1/auth/password')
    .set('Authorization', `Bearer ${owner.body.accessToken}`)
    .set('X-Forwarded-For', OWNER)
    .send({ currentPassword: TEST_DEMO_PASSWORD, newPassword: NEW_PASSWORD })
    .expect(204);

  await lockFromStranger(username);
  const since = await lastEventId();
  // The thief's guesses at the new password are refused unweighed, as a stranger's are.
  for (let i = 0; i < 3; i++) await signInFrom(THIEF, username, `${WRONG} ${i}`).expect(401);
  expect(await refusalReasons(userId, THIEF, since)).toEqual(['locked', 'locked', 'locked']);
  // Even the right new password does not get past the lockout from there.
  await signInFrom(THIEF, username, NEW_PASSWORD).expect(401);
  // The owner changed it from its own address, which stays its own.
  await signInFrom(OWNER, username, NEW_PASSWORD).expect(200);
});

it("after an admin's reset of the password, no address that signed in with the old one escapes the account's lockout", async () => {
  const username = 'kh.liaison2';
  const userId = await idOf(username);
  await signInFrom(THIEF, username, TEST_DEMO_PASSWORD).expect(200);
  const admin = await signIn(t.server, 'kh.admin');
  await admin.post(`/users/${userId}/reset-password`, { newPassword: NEW_PASSWORD }).expect(204);
  // Four eyes: a second admin of the country, made by the platform administrator, confirms it.
  const platform = await signIn(t.server, 'platform.admin');
  const agencyId = (await t.dataSource.query(`SELECT id FROM agency WHERE country_code = 'KH' LIMIT 1`))[0]
    .id;
  await platform
    .post('/users', {
      username: 'kh.admin2',
      displayName: 'Second KH admin',
      agencyId,
      roles: ['admin'],
      password: NEW_PASSWORD,
    })
    .expect(201);
  const admin2 = await signIn(t.server, 'kh.admin2', NEW_PASSWORD);
  await admin2.post(`/users/${userId}/reset-password/confirm`).expect(200);

  await lockFromStranger(username);
  const since = await lastEventId();
  for (let i = 0; i < 3; i++) await signInFrom(THIEF, username, `${WRONG} ${i}`).expect(401);
  expect(await refusalReasons(userId, THIEF, since)).toEqual(['locked', 'locked', 'locked']);
  await signInFrom(THIEF, username, NEW_PASSWORD).expect(401);
});

it('an address the account signed in from is its own in any spelling: IPv4-mapped, upper-case, uncompressed IPv6', async () => {
  const username = 'kh.officer';
  await signInFrom('198.51.100.30', username, TEST_DEMO_PASSWORD).expect(200);
  await signInFrom('2001:db8::7', username, TEST_DEMO_PASSWORD).expect(200);
  await lockFromStranger(username);
  await signInFrom(STRANGER, username, TEST_DEMO_PASSWORD).expect(401);
  // The same client, reaching the server through a dual-stack proxy (before: a stranger, 401).
  await signInFrom('::ffff:198.51.100.30', username, TEST_DEMO_PASSWORD).expect(200);
  await signInFrom('::FFFF:c633:641e', username, TEST_DEMO_PASSWORD).expect(200);
  // And an IPv6 address written out another way.
  await signInFrom('2001:DB8:0:0::7', username, TEST_DEMO_PASSWORD).expect(200);
});
