import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { LRUCache } from 'lru-cache';
import { Strategy } from 'passport-jwt';
import type { KeyObject } from 'node:crypto';
import type { Actor } from '../../common/request-context';
import { UnauthenticatedError } from '../../common/errors/domain-errors';
import { UUID } from '../../common/http/validators';
import { CurrentUserCache } from '../../users/current-user.cache';
import { JWT_KEY } from '../jwt-key.provider';

export interface AccessTokenPayload {
  sub: string;
  sid: string;
  iat: number;
  exp: number;
}

/**
 * The claims this server signs, in the shapes it signs them. A token that verifies but names its user or
 * session otherwise (a number, an array, a username) was never issued here: a 401, not a database error.
 */
function hasOurClaims(payload: unknown): payload is AccessTokenPayload {
  const p = payload as Partial<Record<keyof AccessTokenPayload, unknown>> | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.sub === 'string' &&
    UUID.test(p.sub) &&
    typeof p.sid === 'string' &&
    UUID.test(p.sid) &&
    typeof p.iat === 'number' &&
    Number.isFinite(p.iat)
  );
}

/** How many verified tokens one process remembers: a few MB at most (a token is ~250 bytes). */
export const VERIFIED_TOKENS_KEPT = 10_000;

/**
 * `Bearer`, one space or more (RFC 6750 §2.1: `1*SP`), one token of JWT characters (three base64url
 * parts joined by dots), and nothing else; the scheme in any case (RFC 9110 §11.1). passport-jwt's own
 * extractor read the first two words, so `Bearer <token> extra` or a tab were accepted as if they were
 * the token alone. Anything else extracts no token: the same 401 as a token that does not verify.
 */
const STRICT_BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i;

export function bearerToken(req: { headers: { authorization?: string | string[] } }): string | null {
  const header = req.headers.authorization;
  return typeof header === 'string' ? (STRICT_BEARER.exec(header)?.[1] ?? null) : null;
}

type Incoming = Parameters<Strategy['authenticate']>[0];

/** The passport strategy's own hooks, which passport sets on the object it calls `authenticate` on. */
interface StrategyOutcome {
  success(user: Actor): void;
  error(err: unknown): void;
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  /**
   * Tokens whose signature and expiry were checked, by their whole text (signature included, so a
   * changed token is never found here). Checking a signature again on every request of a session
   * was a tenth of a request's CPU; the user, their session and their rights are still looked up on
   * every request (`CurrentUserCache`), so a sign-out or a disabled account takes effect as before.
   */
  private readonly verified = new LRUCache<string, AccessTokenPayload>({ max: VERIFIED_TOKENS_KEPT });

  constructor(
    @Inject(JWT_KEY) key: KeyObject,
    private readonly users: CurrentUserCache,
  ) {
    super({
      jwtFromRequest: bearerToken,
      secretOrKey: key as unknown as string,
      algorithms: ['HS256'],
      ignoreExpiration: false,
      passReqToCallback: true,
    });
  }

  override authenticate(this: JwtStrategy & StrategyOutcome, req: Incoming, options?: object): void {
    const token = bearerToken(req);
    const payload = token ? this.verified.get(token) : undefined;
    // Expiry is checked here again as jsonwebtoken checks it (whole seconds of the wall clock).
    if (!payload || Math.floor(Date.now() / 1000) >= payload.exp) {
      super.authenticate(req, options);
      return;
    }
    this.validate(req, payload).then(
      (actor) => this.success(actor),
      (err: unknown) => this.error(err),
    );
  }

  async validate(req: Incoming, payload: AccessTokenPayload): Promise<Actor> {
    if (!hasOurClaims(payload)) throw new UnauthenticatedError('A valid access token is required.');
    const actor = await this.users.actorFor(payload.sub, payload.sid, new Date(payload.iat * 1000));
    if (!actor) throw new UnauthenticatedError('The access token is no longer valid; sign in again.');
    const token = bearerToken(req);
    if (token) this.verified.set(token, payload);
    return actor;
  }
}
