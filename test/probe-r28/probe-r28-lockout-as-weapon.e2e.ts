import request from 'supertest';
import { createTestApp, TestApp } from '../support/test-app';
import { TEST_DEMO_PASSWORD } from '../support/demo-password';
import { signIn } from '../support/http';

/**
 * Probe r28, finding 1: anyone who knows (or guesses: `kh.liaison`) a username could keep its owner from
 * signing in for good — five wrong passwords lock the account for 30 minutes whatever the password after
 * them, and ten a minute fill the username's throttle bucket (429 for everyone). Now an address the
 * account signed in from lately is weighed on its own: the stranger stays locked out, the owner at its
 * own address signs in, and the owner's own wrong passwords still lock its address.
 *
 * Addresses are told apart with X-Forwarded-For from a trusted proxy (TRUSTED_PROXIES = loopback).
 */
const OWNER_OFFICE = '198.51.100.10';
const STRANGER = '203.0.113.66';
const ANOTHER_STRANGER = '203.0.113.67';
const WRONG = 'not the password at all';

const signInFrom = (t: TestApp, address: string, username: string, password: string) =>
  request(t.server).post('/api/v1/auth/login').set('X-Forwarded-For', address).send({ username, password });

const statusesOf = async (attempts: Array<() => request.Test>) => {
  const statuses: number[] = [];
  for (const attempt of attempts) statuses.push((await attempt()).status);
  return statuses;
};

it('five wrong passwords from a stranger lock the stranger out, not the owner at its own address', async () => {
  const t = await createTestApp({}, { TRUSTED_PROXIES: '127.0.0.1/32, ::1' });
  try {
    await signInFrom(t, OWNER_OFFICE, 'kh.liaison', TEST_DEMO_PASSWORD).expect(200);

    // The stranger locks the account: the same answers as for a username nobody has.
    const known = await statusesOf(
      Array.from({ length: 7 }, () => () => signInFrom(t, STRANGER, 'kh.liaison', WRONG)),
    );
    const unknown = await statusesOf(
      Array.from({ length: 7 }, () => () => signInFrom(t, STRANGER, 'kh.nobody-at-all', WRONG)),
    );
    expect(known).toEqual([401, 401, 401, 401, 401, 401, 401]);
    expect(unknown).toEqual(known);
    const admin = await signIn(t.server, 'kh.admin');
    const listed = (await admin.get('/users?role=liaison&limit=100').expect(200)).body.items.find(
      (u: { username: string }) => u.username === 'kh.liaison',
    );
    expect(listed.locked).toBe(true);

    // A stranger who then has the right password is still refused, from any address never used.
    await signInFrom(t, STRANGER, 'kh.liaison', TEST_DEMO_PASSWORD).expect(401);
    await signInFrom(t, ANOTHER_STRANGER, 'kh.liaison', TEST_DEMO_PASSWORD).expect(401);

    // The owner, at the address it signs in from, is not kept out (before: 401 for 30 minutes).
    const owner = await signInFrom(t, OWNER_OFFICE, 'kh.liaison', TEST_DEMO_PASSWORD);
    expect(owner.status).toBe(200);
    // Its sign-in does not lift the lockout others caused.
    await signInFrom(t, STRANGER, 'kh.liaison', TEST_DEMO_PASSWORD).expect(401);

    // The owner's address keeps a lockout of its own: five wrong passwords from it, and it waits too.
    for (let i = 0; i < 5; i++) await signInFrom(t, OWNER_OFFICE, 'kh.liaison', `${WRONG} ${i}`).expect(401);
    await signInFrom(t, OWNER_OFFICE, 'kh.liaison', TEST_DEMO_PASSWORD).expect(401);
    const lockouts = await t.dataSource.query(
      `SELECT owner_country, source_ip, details FROM audit_event WHERE action = 'auth.lockout' AND record_id = $1 ORDER BY id`,
      [listed.id],
    );
    expect(lockouts).toEqual([
      { owner_country: 'KH', source_ip: STRANGER, details: null },
      { owner_country: 'KH', source_ip: OWNER_OFFICE, details: { address: OWNER_OFFICE } },
    ]);

    // The country's admin lifts every lockout of the account.
    await admin.post(`/users/${listed.id}/unlock`).expect(200);
    await signInFrom(t, OWNER_OFFICE, 'kh.liaison', TEST_DEMO_PASSWORD).expect(200);
    await signInFrom(t, STRANGER, 'kh.liaison', TEST_DEMO_PASSWORD).expect(200);
  } finally {
    await t.close();
  }
});

it("a stranger filling a username's throttle bucket does not block its owner at its own address", async () => {
  const t = await createTestApp(
    {},
    { TRUSTED_PROXIES: '127.0.0.1/32, ::1', LOGIN_RATE_LIMIT_PER_USERNAME: '3' },
  );
  try {
    await signInFrom(t, OWNER_OFFICE, 'kh.liaison2', TEST_DEMO_PASSWORD).expect(200);
    const stranger = await statusesOf(
      Array.from({ length: 4 }, () => () => signInFrom(t, STRANGER, 'kh.liaison2', WRONG)),
    );
    expect(stranger).toEqual([401, 401, 401, 429]);
    // Blocked for the stranger whatever the password; an unknown username reads the same.
    await signInFrom(t, STRANGER, 'kh.liaison2', TEST_DEMO_PASSWORD).expect(429);
    await signInFrom(t, ANOTHER_STRANGER, 'kh.liaison2', TEST_DEMO_PASSWORD).expect(429);
    const unknown = await statusesOf(
      Array.from({ length: 4 }, () => () => signInFrom(t, STRANGER, 'kh.nobody-at-all', WRONG)),
    );
    expect(unknown).toEqual(stranger);

    // The owner at its own address (before: 429 for as long as the stranger kept sending).
    await signInFrom(t, OWNER_OFFICE, 'kh.liaison2', TEST_DEMO_PASSWORD).expect(200);
    // Its own address has a bucket of its own, with the same limit.
    const own = await statusesOf(
      Array.from({ length: 4 }, () => () => signInFrom(t, OWNER_OFFICE, 'kh.liaison2', WRONG)),
    );
    expect(own).toEqual([401, 401, 401, 429]);
  } finally {
    await t.close();
  }
});
