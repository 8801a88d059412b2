import { createSecretKey } from 'node:crypto';
import { sign } from 'jsonwebtoken';
import { Strategy } from 'passport-jwt';
import type { Actor } from '../../common/request-context';
import type { CurrentUserCache } from '../../users/current-user.cache';
import { JwtStrategy } from './jwt.strategy';

const key = createSecretKey(Buffer.from('a-test-signing-key-of-32-bytes-or-more!!'));
const otherKey = createSecretKey(Buffer.from('another-signing-key-of-32-bytes-or-more'));
const actor = { userId: 'u1', countryCode: 'KR', roles: ['officer'] } as unknown as Actor;

const userId = '0be00930-f7f3-4933-bfd7-1b84c23c9d8d';
const sessionId = 'e6700251-89c0-444f-8034-f0c2c8085a96';

function tokenFor(
  signingKey = key,
  expiresIn = 900,
  claims: object = { sub: userId, sid: sessionId },
): string {
  return sign(claims, signingKey, { algorithm: 'HS256', expiresIn });
}

/** Runs the strategy as passport does: on an object that carries the outcome hooks. */
function authenticate(
  strategy: JwtStrategy,
  token: string,
  authorization = `Bearer ${token}`,
): Promise<'accepted' | 'refused'> {
  return new Promise((resolve, reject) => {
    const run = Object.assign(Object.create(strategy) as JwtStrategy, {
      success: () => resolve('accepted'),
      fail: () => resolve('refused'),
      error: (err: Error) => (err.name === 'UnauthenticatedError' ? resolve('refused') : reject(err)),
    });
    run.authenticate({ headers: { authorization } } as never, {});
  });
}

describe('JwtStrategy: a verified token is remembered, never trusted beyond what it proved', () => {
  let current: Actor | null;
  let strategy: JwtStrategy;
  const users = { actorFor: async () => current } as unknown as CurrentUserCache;
  beforeEach(() => {
    current = actor;
    strategy = new JwtStrategy(key, users);
  });
  afterEach(() => jest.restoreAllMocks());

  it('checks a signature once per token, then only the user and session on each request', async () => {
    const verifier = jest.spyOn(Strategy as unknown as { JwtVerifier: () => void }, 'JwtVerifier');
    const token = tokenFor();
    expect(await authenticate(strategy, token)).toBe('accepted');
    expect(await authenticate(strategy, token)).toBe('accepted');
    expect(verifier).toHaveBeenCalledTimes(1);
  });

  it('refuses a token signed with another key, or with its signature changed, after the real one was accepted', async () => {
    const token = tokenFor();
    expect(await authenticate(strategy, token)).toBe('accepted');
    expect(await authenticate(strategy, tokenFor(otherKey))).toBe('refused');
    const [header, payload, signature] = token.split('.');
    const changed = `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    expect(await authenticate(strategy, changed)).toBe('refused');
  });

  it('refuses a remembered token once it has expired', async () => {
    const token = tokenFor(key, 60);
    expect(await authenticate(strategy, token)).toBe('accepted');
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 61_000);
    expect(await authenticate(strategy, token)).toBe('refused');
  });

  it('refuses a remembered token at once when its user may no longer sign in', async () => {
    const token = tokenFor();
    expect(await authenticate(strategy, token)).toBe('accepted');
    current = null;
    expect(await authenticate(strategy, token)).toBe('refused');
  });

  it('refuses a well-signed token whose user or session is not named as this server names them', async () => {
    for (const claims of [
      { sub: "x' or 1=1", sid: sessionId },
      { sub: [userId], sid: sessionId },
      { sub: userId, sid: 5 },
      { sub: userId },
      { sub: { id: userId }, sid: sessionId },
    ])
      expect({ claims, outcome: await authenticate(strategy, tokenFor(key, 900, claims)) }).toEqual({
        claims,
        outcome: 'refused',
      });
  });

  it('takes `Bearer`, spaces and the token alone; refuses a word after it, a tab or another scheme', async () => {
    const token = tokenFor();
    const outcomes: Record<string, string> = {};
    for (const header of [
      `Bearer ${token}`,
      `bearer ${token}`,
      `BEARER ${token}`,
      `Bearer ${token} extra`,
      `Bearer ${token} ${token}`,
      `Bearer  ${token}`,
      `Bearer\t${token}`,
      `Bearer ${token},`,
      `Token ${token}`,
      `Bearer${token}`,
      token,
    ])
      outcomes[header.replaceAll(token, '<token>')] = await authenticate(strategy, token, header);
    expect(outcomes).toEqual({
      'Bearer <token>': 'accepted',
      'bearer <token>': 'accepted',
      'BEARER <token>': 'accepted',
      'Bearer <token> extra': 'refused',
      'Bearer <token> <token>': 'refused',
      'Bearer  <token>': 'accepted',
      'Bearer\t<token>': 'refused',
      'Bearer <token>,': 'refused',
      'Token <token>': 'refused',
      'Bearer<token>': 'refused',
      '<token>': 'refused',
    });
  });
});
