import request from 'supertest';
import { createHmac } from 'node:crypto';
import { createTestApp, TestApp } from '../support/test-app';
import { login } from '../support/http';

/**
 * Probe r28: access tokens edited, re-signed, expired, oversized. Without the key nothing passes; with
 * the key (the test app's JWT_SECRET, standing in for a token some other issuer sharing it could sign)
 * a token whose claims are not in the shapes this server signs is a 401, never a 500 (finding 2), and
 * claims the server does not sign (a country, roles, a `kid`) change nothing.
 */
const TEST_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';
const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const signed = (header: object, payload: object, algorithm: 'sha256' | 'sha512' = 'sha256') => {
  const unsigned = `${part(header)}.${part(payload)}`;
  return `${unsigned}.${createHmac(algorithm, TEST_SECRET).update(unsigned).digest('base64url')}`;
};
const HS256 = { alg: 'HS256', typ: 'JWT' };

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const withToken = (path: string, token: string) =>
  request(t.server).get(`/api/v1${path}`).set('Authorization', `Bearer ${token}`);

it('refuses edited, unsigned, re-algorithmed, expired and oversized tokens with 401 (431 past the header limit)', async () => {
  const { accessToken } = await login(t.server, 'kr.officer');
  const [header, payload, signature] = accessToken.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, number | string>;
  const kh = (await t.dataSource.query(`SELECT id FROM app_user WHERE username = 'kh.admin'`))[0].id;

  const refused: Array<[string, string]> = [
    [
      'payload edited to another user, old signature',
      `${header}.${part({ ...claims, sub: kh })}.${signature}`,
    ],
    [
      'payload with a country claim, old signature',
      `${header}.${part({ ...claims, countryCode: 'KH' })}.${signature}`,
    ],
    ['alg none, no signature', `${part({ alg: 'none', typ: 'JWT' })}.${payload}.`],
    ['HS512 with the real key', signed({ alg: 'HS512', typ: 'JWT' }, claims, 'sha512')],
    [
      'expired, real key',
      signed(HS256, { ...claims, iat: Number(claims.iat) - 2000, exp: Number(claims.iat) - 1000 }),
    ],
    ['not a JWT', 'a.b.c'],
    ['Basic credentials', ''],
    ['an 8 KB token', 'e'.repeat(8000)],
  ];
  for (const [label, token] of refused) {
    const res =
      label === 'Basic credentials'
        ? await request(t.server).get('/api/v1/auth/me').set('Authorization', 'Basic a3Iub2ZmaWNlcjp4')
        : await withToken('/auth/me', token);
    expect({ label, status: res.status, type: res.body.type }).toEqual({
      label,
      status: 401,
      type: 'urn:case-desk:problem:unauthenticated',
    });
  }
  const huge = await withToken('/auth/me', 'e'.repeat(70_000));
  expect({ status: huge.status, type: huge.body.type }).toEqual({
    status: 431,
    type: 'urn:case-desk:problem:headers-too-large',
  });
});

it('a well-signed token naming its user or session in another shape is a 401, not a 500', async () => {
  const { accessToken } = await login(t.server, 'kr.officer');
  const claims = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString());
  for (const odd of [
    { sub: "x' or 1=1" },
    { sub: 'kr.officer' },
    { sub: [claims.sub] },
    { sid: 5 },
    { sid: { id: claims.sid } },
  ]) {
    const res = await withToken('/auth/me', signed(HS256, { ...claims, ...odd }));
    expect({ odd, status: res.status, type: res.body.type }).toEqual({
      odd,
      status: 401,
      type: 'urn:case-desk:problem:unauthenticated',
    });
  }
});

it('claims the server does not sign (country, roles, kid) change nothing: the user record decides', async () => {
  const { accessToken } = await login(t.server, 'kr.officer');
  const claims = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString());
  const dressedUp = signed(
    { ...HS256, kid: '../../../dev/null' },
    { ...claims, countryCode: 'KH', country: 'KH', roles: ['admin', 'auditor'], scope: 'users.manage' },
  );
  const me = await withToken('/auth/me', dressedUp).expect(200);
  expect(me.body).toMatchObject({ username: 'kr.officer', countryCode: 'KR', roles: ['officer'] });
  await withToken('/users', dressedUp).expect(403);
  await withToken('/audit-events', dressedUp).expect(403);
});
